#!/usr/bin/python3
"""`make bench`: impd, Prosody and ejabberd side by side, in one run, on loopback.

Each server runs with the equivalent settings of tests/integration/bench_profile.py (warning
logs, no rate limits, no archive, offline storage and rosters on, c2s TLS offered but not
required so one instance serves both TLS modes). The same load generator
(tests/bench/loadgen, `impd-loadgen`) runs the same workloads against each:

  messages   N pairs chatting as fast as the server accepts (closed loop, a window per sender):
             delivered/s, p50/p99 latency, server CPU seconds per 100k messages
  presence   one user with 100 and with 1,000 online contacts changes status: deliveries/s,
             p99 per delivery and until the last contact has it
  signin     STARTTLS + SCRAM-SHA-256, full TLS handshakes and resumed sessions: sign-ins/s
  memory     server RSS with 0 and with N idle signed-in sessions, TLS and plain: KB/session;
             for impd also what OpenSSL alone keeps per idle TLS connection (impd-tls-footprint)
  s2s        two servers of the same kind federated over s2s (a.<kind>.test, b.<kind>.test, TLS
             and certificates from the test CA); N pairs, one user on each server, chat as in
             `messages`, so both directions of the s2s link carry traffic: delivered/s, p50/p99
             latency, CPU seconds of both servers per 100k messages

Messages and presence run `--repeat` times (default 3) per server, each time on a restarted
server, and the table shows the median run. `--workloads` picks some of them (default all).
Results go to tests/bench/results/<date>/ as results.md, results.csv and raw.json, and the
table is printed. Ratios are impd / the better peer: above 1 is better for rates, below 1 is
better for latency, CPU and memory.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests" / "integration"))

import bench_profile  # noqa: E402
import impd_federation  # noqa: E402
import impd_harness  # noqa: E402
import prosody_peer  # noqa: E402

PASSWORD = "bench-pw"
PREFIX = "u"
SOURCES = [f"127.0.2.{i}" for i in range(1, 9)]  # about 28k ephemeral ports each
WORKLOADS = ("messages", "presence", "signin", "memory", "s2s")


class Target:
    """One server under test: how to reach it, its pid, and its RSS."""

    def __init__(self, name: str, domain: str, c2s: tuple[str, int], pid_of, stop, restart):
        self.name, self.domain, self.c2s = name, domain, c2s
        self._pid_of, self.stop, self.restart = pid_of, stop, restart

    @property
    def pid(self) -> int:
        return self._pid_of()

    def rss_kb(self) -> int:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError(f"{self.name}: no VmRSS")


def loadgen(build: Path, target: Target, workload: str, *args: str, timeout: float = 1800) -> dict:
    host, port = target.c2s
    argv = [str(build / "bin" / "impd-loadgen"), workload, "--server", f"{host}:{port}", "--domain", target.domain,
            "--password", PASSWORD, "--prefix", PREFIX, "--server-pid", str(target.pid), "--threads", "2",
            *[a for s in SOURCES for a in ("--source", s)], *args]
    res = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    lines = res.stdout.strip().splitlines()
    result = json.loads(lines[-1]) if lines else {"error": res.stderr.strip()[-500:]}
    if res.returncode != 0 and "error" not in result:
        result["error"] = res.stderr.strip()[-500:]
    return result


def idle_rss(build: Path, target: Target, sessions: int, tls: bool) -> dict:
    """RSS before and with `sessions` idle signed-in users (after a short settle)."""
    target.restart()
    time.sleep(1.0)
    before = target.rss_kb()
    if sessions == 0:
        return {"rss_kb": before}
    host, port = target.c2s
    argv = [str(build / "bin" / "impd-loadgen"), "idle", "--server", f"{host}:{port}", "--domain", target.domain,
            "--password", PASSWORD, "--prefix", PREFIX, "--users", str(sessions), "--concurrency", "100",
            "--tls", "starttls" if tls else "none", "--mech", "SCRAM-SHA-256", "--threads", "2", *[a for s in SOURCES for a in ("--source", s)]]
    prefix, _ = bench_profile.prlimit_prefix(sessions + 1000)
    proc = subprocess.Popen(prefix + argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stdout.readline()
        ready = json.loads(line) if line.strip() else {"error": proc.stderr.read()[-500:]}
        if "error" in ready:
            return ready
        time.sleep(3.0)  # let the servers settle (and ejabberd's GC run)
        after = target.rss_kb()
        return {"rss_kb": after, "baseline_kb": before, "kb_per_session": (after - before) / sessions,
                "signin_seconds": ready.get("signin_seconds")}
    finally:
        proc.stdin.close()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_workloads(build: Path, target: Target, sizes: dict, workloads: set[str]) -> dict:
    """The single-server workloads of `workloads` (all but s2s) against one target."""
    out = {}
    if "messages" in workloads:
        out["messages"] = median_run(target, sizes["repeat"], "messages_per_s", lambda: loadgen(
            build, target, "messages", "--users", str(sizes["pairs"]), "--window", "10",
            "--seconds", str(sizes["seconds"]), "--tls", "starttls"))
    if "presence" in workloads:
        out.update(run_presence(build, target, sizes))
    if "signin" in workloads:
        out.update(run_signin(build, target, sizes))
    if "memory" in workloads:
        out.update(run_memory(build, target, sizes))
        if target.name == "impd":
            out["tls_state"] = tls_footprint(build)
    return out


def run_presence(build: Path, target: Target, sizes: dict) -> dict:
    out = {}
    for contacts in sizes["contacts"]:
        # Smaller rosters get more rounds, so every size is measured over a similar time.
        rounds = sizes["rounds"] * max(1, 1000 // contacts)
        out[f"presence{contacts}"] = median_run(target, sizes["repeat"], "deliveries_per_s", lambda: loadgen(
            build, target, "presence", "--users", str(contacts), "--rounds", str(rounds), "--tls", "starttls",
            "--concurrency", "50"))
    return out


def median_run(target: Target, repeat: int, rate: str, run) -> dict:
    """`run` `repeat` times, each on a freshly restarted server; the run with the median `rate`,
    whole (so its latencies and CPU belong to the same run), with every run's rate added as
    `<rate>_runs`. The machine's neighbours move single runs by up to a third."""
    runs = []
    for _ in range(repeat):
        target.restart()
        runs.append(run())
    good = sorted((r for r in runs if r.get(rate) is not None), key=lambda r: r[rate])
    if not good:
        return runs[0]
    chosen = dict(good[(len(good) - 1) // 2])
    chosen[f"{rate}_runs"] = [r.get(rate) for r in runs]
    return chosen


def run_signin(build: Path, target: Target, sizes: dict) -> dict:
    out = {}
    for mode, extra in (("signin_full", []), ("signin_resumed", ["--resume"])):
        target.restart()
        out[mode] = loadgen(build, target, "signin", "--users", str(sizes["signins"]), "--concurrency", "20",
                            "--tls", "starttls", "--mech", "SCRAM-SHA-256", *extra)
    return out


def run_memory(build: Path, target: Target, sizes: dict) -> dict:
    out = {}
    for tls in (True, False):
        key = "tls" if tls else "plain"
        out[f"rss0_{key}"] = idle_rss(build, target, 0, tls)
        out[f"rss_{key}"] = idle_rss(build, target, sizes["idle"], tls)
    return out


def tls_footprint(build: Path) -> dict:
    """OpenSSL's own memory per idle server-side TLS connection with impd's settings: the floor
    of impd's memory per idle TLS session."""
    res = subprocess.run([str(build / "bin" / "impd-tls-footprint"), "--connections", "1000"], capture_output=True,
                         text=True, timeout=300)
    lines = res.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {"error": res.stderr.strip()[-500:]}


def run_s2s(build: Path, a: Target, b: Target, sizes: dict) -> dict:
    """Senders on a, receivers on b. The load generator first sends one message each way and
    waits for it, so s2s stream set-up (DNS, TLS, authentication) is outside the window."""
    host, port = b.c2s
    return {"s2s": loadgen(build, a, "s2s", "--server2", f"{host}:{port}", "--domain2", b.domain,
                           "--server2-pid", str(b.pid), "--users", str(sizes["pairs"]), "--window", "10",
                           "--seconds", str(sizes["seconds"]), "--tls", "starttls")}


# --- servers --------------------------------------------------------------------------------------

def import_users(srv: impd_harness.ImpdServer, domain: str, users: int) -> None:
    accounts = srv.folder / "accounts.txt"
    accounts.write_text("".join(f"{PREFIX}{i}@{domain} {PASSWORD}\n" for i in range(users)))
    res = srv.impctl("user", "import", str(accounts), timeout=3600)
    if res.returncode != 0:
        raise RuntimeError(f"impctl user import: {res.stderr}")


def impd_target(srv: impd_harness.ImpdServer, domain: str) -> Target:
    return Target("impd", domain, srv.c2s, lambda: srv.pid, srv.stop, srv.restart)


def start_impd(build: Path, fed, root: Path, users: int) -> Target:
    cert = fed.cert("imp.test")
    overrides = impd_harness.deep_merge(bench_profile.impd_overrides(c2s_require_encryption=False, sessions=users),
                                        {"tls": {"certificate": str(cert.cert), "key": str(cert.key)},
                                         "xmpp": {"s2s": {"enabled": False}}})
    srv = impd_harness.ImpdServer(root / "impd", host="127.0.3.1", overrides=overrides, build=build, name="impd")
    import_users(srv, "imp.test", users)
    srv.start()
    return impd_target(srv, "imp.test")


def start_impd_federated(build: Path, fed, side: str, host: str, users: int) -> Target:
    """impd for <side>.impd.test as the federation tests start it (impd_federation.start_impd:
    a certificate from the test CA, the test DNS server, s2s with STARTTLS offered, SASL
    EXTERNAL and dialback), with the bench settings and `users` users."""
    domain = f"{side}.impd.test"

    def make(overrides: dict, start: bool = False) -> impd_harness.ImpdServer:
        srv = impd_harness.ImpdServer(fed.root / f"impd-{domain}", host=host, overrides=overrides, build=build,
                                      name=f"impd {domain}")
        srv.domain = domain  # start_impd adds its test users to srv.domain
        import_users(srv, domain, users)
        return srv

    bench = bench_profile.impd_overrides(c2s_require_encryption=False, sessions=users)
    # srv=False: start_impd would publish every impd under the one name xmpp.imp.test.
    srv = impd_federation.start_impd(make, fed, srv=False, extra=bench, domains=(domain,))
    fed.dns.xmpp_server(domain, f"xmpp.{domain}", srv.s2s_port).host_record(f"xmpp.{domain}", host)
    fed.dns.restart()
    return impd_target(srv, domain)


def start_peer(kind: str, fed, users: int, domain: str | None = None, s2s: bool = False) -> Target:
    """A Prosody or ejabberd with the bench profile; s2s=True publishes it in the test DNS so
    another server can federate with it."""
    make = fed.prosody if kind == "prosody" else fed.ejabberd
    domain = domain or f"{kind}.test"
    # ejabberd 23.01 drops an incoming stream whose trusted certificate has an xmppAddr name
    # (ejabberd_peer.py), so its peers' certificates carry dNSName entries only.
    cert = fed.cert(domain, xmpp_addr=kind != "ejabberd")
    peer = make(domain, cert=cert, profile="bench", c2s_require_encryption=False, srv=s2s, start=False)
    peer.add_users_bulk(PREFIX, users, PASSWORD)
    peer.start()

    def restart():
        stop_quietly(peer.stop)
        peer.proc = None
        peer.start()

    return Target(kind, domain, peer.c2s, lambda: peer.pid, peer.stop, restart)


def start_pair(kind: str, build: Path, fed, users: int) -> tuple[Target, Target]:
    """Two servers of `kind`, a.<kind>.test and b.<kind>.test, on their own addresses,
    federated through the test DNS server with certificates from the test CA."""
    pair: list[Target] = []
    try:
        for i, side in enumerate("ab"):
            if kind == "impd":
                pair.append(start_impd_federated(build, fed, side, f"127.0.3.{2 + i}", users))
            else:
                pair.append(start_peer(kind, fed, users, domain=f"{side}.{kind}.test", s2s=True))
    except BaseException:
        for t in pair:
            t.stop()
        raise
    return pair[0], pair[1]


def stop_quietly(stop) -> None:
    """Stops a server after its figures are in. One that had to be killed (Prosody 0.12 can
    fail in its own shutdown with many c2s sessions open) is reported, not fatal to the run."""
    try:
        stop()
    except impd_harness.HarnessError as e:
        print(f"warning: {str(e).splitlines()[0]}", file=sys.stderr, flush=True)


# --- report ---------------------------------------------------------------------------------------

def chat_rows(key: str, label: str, latency: str, cpu_label: str) -> list:
    """The rows of a chat workload (`messages`, `s2s`): (label, unit, extractor, higher is better)."""
    return [
        (f"{label} delivered", "msg/s", lambda r: r[key].get("messages_per_s"), True),
        (f"{latency} latency p50", "ms", lambda r: r[key].get("latency_p50_ms"), False),
        (f"{latency} latency p99", "ms", lambda r: r[key].get("latency_p99_ms"), False),
        (cpu_label, "s", lambda r: cpu_per_100k(r[key]), False),
        (f"load generator CPU share ({key})", "", lambda r: r[key].get("loadgen_cpu_share"), None),
    ]


MESSAGE_ROWS = chat_rows("messages", "messages", "message", "server CPU per 100k messages")
S2S_ROWS = chat_rows("s2s", "s2s messages", "s2s", "server CPU per 100k s2s messages (both servers)")


def cpu_per_100k(m: dict):
    """Server CPU seconds per 100k delivered messages; for s2s, both servers' together."""
    if m.get("server_cpu_s") is None or not m.get("delivered"):
        return None
    return (m["server_cpu_s"] + m.get("server2_cpu_s", 0)) * 1e5 / m["delivered"]


def cpu_per_delivery(p: dict):
    """Server CPU milliseconds per 1,000 presence deliveries: what the server itself spends,
    whichever side limits the rate."""
    if p.get("server_cpu_s") is None or not p.get("rounds"):
        return None
    return p["server_cpu_s"] * 1e6 / (p["contacts"] * p["rounds"])


def rows_for(sizes: dict, workloads: set[str]) -> list:
    rows = list(MESSAGE_ROWS) if "messages" in workloads else []
    for c in sizes["contacts"] if "presence" in workloads else []:
        rows += [
            (f"presence deliveries, {c} contacts", "/s", lambda r, c=c: r[f"presence{c}"].get("deliveries_per_s"), True),
            (f"presence p99 per delivery, {c} contacts", "ms", lambda r, c=c: r[f"presence{c}"].get("delivery_p99_ms"),
             False),
            (f"presence p99 until the last contact, {c}", "ms", lambda r, c=c: r[f"presence{c}"].get("last_p99_ms"),
             False),
            (f"server CPU per 1,000 presence deliveries, {c}", "ms", lambda r, c=c: cpu_per_delivery(r[f"presence{c}"]),
             False),
            (f"load generator CPU share (presence, {c})", "", lambda r, c=c: r[f"presence{c}"].get("loadgen_cpu_share"),
             None),
        ]
    if "signin" in workloads:
        rows += [
            ("sign-ins, STARTTLS + SCRAM-SHA-256, full", "/s", lambda r: r["signin_full"].get("signins_per_s"), True),
            ("sign-ins, STARTTLS + SCRAM-SHA-256, resumed", "/s", lambda r: r["signin_resumed"].get("signins_per_s"),
             True),
        ]
    if "memory" in workloads:
        rows += [
            ("RSS with 0 sessions", "KB", lambda r: r["rss0_tls"].get("rss_kb"), False),
            (f"memory per idle session, TLS ({sizes['idle']})", "KB", lambda r: r["rss_tls"].get("kb_per_session"),
             False),
            (f"memory per idle session, plain ({sizes['idle']})", "KB",
             lambda r: r["rss_plain"].get("kb_per_session"), False),
            ("of a TLS session, OpenSSL's own state", "KB", lambda r: r["tls_state"]["bytes_per_connection"] / 1024,
             None),
        ]
    if "s2s" in workloads:
        rows += S2S_ROWS
    return rows


def fmt(v) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


def report(results: dict, sizes: dict, workloads: set[str], out: Path, machine: str, when: str | None = None) -> str:
    names = list(results)
    peers = [n for n in names if n != "impd"]
    header = ["metric", "unit", *names, "impd / better peer"]
    table, rows_csv = [header], []
    for label, unit, get, higher in rows_for(sizes, workloads):
        values = {}
        for n in names:
            try:
                values[n] = get(results[n])
            except (KeyError, TypeError):
                values[n] = None
        ratio = None
        peer_values = [values[p] for p in peers if values[p]]
        if higher is not None and values.get("impd") and peer_values:
            best = max(peer_values) if higher else min(peer_values)
            ratio = values["impd"] / best if best else None
        table.append([label, unit, *[fmt(values[n]) for n in names], "—" if ratio is None else f"{ratio:.2f}×"])
        rows_csv.append([label, unit, *[values[n] for n in names], ratio])
    errors = [f"- {n} {w}: {r['error']}" for n in names for w, r in results[n].items() if isinstance(r, dict)
              and "error" in r]
    when = when or datetime.datetime.now().strftime('%Y-%m-%d %H:%M')
    md = [f"Benchmark run {when} on {machine}", ""]
    if sizes.get("repeat", 1) > 1 and workloads & {"messages", "presence"}:
        md += [f"Messages and presence: the median of {sizes['repeat']} runs per server, each on a restarted "
               "server (every run's rate is in raw.json).", ""]
    md += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    md += ["| " + " | ".join(row) + " |" for row in table[1:]]
    if errors:
        md += ["", "Errors:", *errors]
    text = "\n".join(md) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(text)
    with open(out / "results.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows_csv)
    (out / "raw.json").write_text(json.dumps({"sizes": sizes, "workloads": sorted(workloads), "results": results,
                                              "run": {"when": when, "machine": machine}}, indent=2))
    return text


def rewrite_report(raw: Path, out: Path) -> int:
    data = json.loads(raw.read_text())
    run = data["run"]
    print(report(data["results"], data["sizes"], set(data["workloads"]), out, run["machine"], run["when"]))
    return 0


def machine() -> str:
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.platform()}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=str(REPO / "build"), help="folder with bin/impd, bin/impctl, bin/impd-loadgen")
    ap.add_argument("--servers", default="impd,prosody,ejabberd")
    ap.add_argument("--workloads", default=",".join(WORKLOADS),
                    help=f"comma-separated, some of {','.join(WORKLOADS)} (default: all)")
    ap.add_argument("--quick", action="store_true", help="small sizes, for a first look")
    ap.add_argument("--idle", type=int, help="idle sessions for the memory runs (default: 50,000, or 2,000 with --quick, "
                    "capped by the file descriptor limit)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the messages and presence workloads per "
                    "server, each on a restarted server; the table shows the median run (default: %(default)s)")
    ap.add_argument("--out", default=str(HERE / "results" / datetime.date.today().isoformat()))
    ap.add_argument("--report", metavar="RAW_JSON", help="only write the tables again from an earlier run's raw.json "
                    "(into --out), e.g. after a row was added")
    a = ap.parse_args()
    if a.report:
        return rewrite_report(Path(a.report), Path(a.out))
    workloads = set(a.workloads.split(","))
    if workloads - set(WORKLOADS):
        ap.error(f"unknown workloads {','.join(sorted(workloads - set(WORKLOADS)))}; "
                 f"choose from {','.join(WORKLOADS)}")
    single = workloads - {"s2s"}  # the workloads that run against one server
    build = Path(a.build).resolve()
    # The fd limit bounds idle sessions: each costs one descriptor in the server and one here.
    fd_cap = bench_profile.nofile_limit(60000) - 1000
    sizes = {"pairs": 50 if a.quick else 200, "seconds": 5 if a.quick else 10, "contacts": [100, 1000],
             "rounds": 100 if a.quick else 200, "signins": 300 if a.quick else 1000,
             "idle": min(a.idle or (2000 if a.quick else 50000), fd_cap), "repeat": a.repeat}
    users = max(2 * sizes["pairs"], sizes["signins"], sizes["idle"], max(sizes["contacts"]) + 1)
    s2s_users = 2 * sizes["pairs"]  # the load generator's u0 .. u<2N-1>: even ones on a, odd ones on b
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # impd inherits it
    results = {}
    with prosody_peer.Federation() as fed:
        for kind in a.servers.split(","):
            results[kind] = {}
            if single:
                print(f"== {kind}: provisioning {users} users", flush=True)
                target = start_impd(build, fed, fed.root, users) if kind == "impd" else start_peer(kind, fed, users)
                try:
                    results[kind] = run_workloads(build, target, sizes, single)
                finally:
                    stop_quietly(target.stop)
            if "s2s" in workloads:
                print(f"== {kind}: two federated servers, {s2s_users} users each", flush=True)
                first, second = start_pair(kind, build, fed, s2s_users)
                try:
                    results[kind].update(run_s2s(build, first, second, sizes))
                finally:
                    stop_quietly(first.stop)
                    stop_quietly(second.stop)
            print(json.dumps(results[kind]), flush=True)
    text = report(results, sizes, workloads, Path(a.out), machine())
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
