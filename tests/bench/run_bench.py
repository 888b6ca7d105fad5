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
  memory     server RSS with 0 and with N idle signed-in sessions, TLS and plain: KB/session

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
import impd_harness  # noqa: E402
import prosody_peer  # noqa: E402

PASSWORD = "bench-pw"
PREFIX = "u"
SOURCES = [f"127.0.2.{i}" for i in range(1, 9)]  # about 28k ephemeral ports each


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


def run_workloads(build: Path, target: Target, sizes: dict) -> dict:
    out = {}
    target.restart()
    out["messages"] = loadgen(build, target, "messages", "--users", str(sizes["pairs"]), "--window", "10",
                              "--seconds", str(sizes["seconds"]), "--tls", "starttls")
    for contacts in sizes["contacts"]:
        target.restart()
        out[f"presence{contacts}"] = loadgen(build, target, "presence", "--users", str(contacts), "--rounds",
                                             str(sizes["rounds"]), "--tls", "starttls", "--concurrency", "50")
    for mode, extra in (("signin_full", []), ("signin_resumed", ["--resume"])):
        target.restart()
        out[mode] = loadgen(build, target, "signin", "--users", str(sizes["signins"]), "--concurrency", "20",
                            "--tls", "starttls", "--mech", "SCRAM-SHA-256", *extra)
    for tls in (True, False):
        key = "tls" if tls else "plain"
        out[f"rss0_{key}"] = idle_rss(build, target, 0, tls)
        out[f"rss_{key}"] = idle_rss(build, target, sizes["idle"], tls)
    return out


# --- servers --------------------------------------------------------------------------------------

def start_impd(build: Path, fed, root: Path, users: int) -> Target:
    cert = fed.cert("imp.test")
    overrides = impd_harness.deep_merge(bench_profile.impd_overrides(c2s_require_encryption=False, sessions=users),
                                        {"tls": {"certificate": str(cert.cert), "key": str(cert.key)},
                                         "xmpp": {"s2s": {"enabled": False}}})
    srv = impd_harness.ImpdServer(root / "impd", host="127.0.3.1", overrides=overrides, build=build, name="impd")
    accounts = srv.folder / "accounts.txt"
    accounts.write_text("".join(f"{PREFIX}{i}@imp.test {PASSWORD}\n" for i in range(users)))
    res = srv.impctl("user", "import", str(accounts), timeout=3600)
    if res.returncode != 0:
        raise RuntimeError(f"impctl user import: {res.stderr}")
    srv.start()
    return Target("impd", "imp.test", srv.c2s, lambda: srv.pid, srv.stop, srv.restart)


def start_peer(kind: str, fed, users: int) -> Target:
    make = fed.prosody if kind == "prosody" else fed.ejabberd
    domain = f"{kind}.test"
    peer = make(domain, profile="bench", c2s_require_encryption=False, srv=False, start=False)
    peer.add_users_bulk(PREFIX, users, PASSWORD)
    peer.start()

    def restart():
        peer.stop()
        peer.proc = None
        peer.start()

    return Target(kind, domain, peer.c2s, lambda: peer.pid, peer.stop, restart)


# --- report ---------------------------------------------------------------------------------------

ROWS = [
    # (label, unit, extractor, higher is better)
    ("messages delivered", "msg/s", lambda r: r["messages"].get("messages_per_s"), True),
    ("message latency p50", "ms", lambda r: r["messages"].get("latency_p50_ms"), False),
    ("message latency p99", "ms", lambda r: r["messages"].get("latency_p99_ms"), False),
    ("server CPU per 100k messages", "s", lambda r: cpu_per_100k(r["messages"]), False),
    ("load generator CPU share (messages)", "", lambda r: r["messages"].get("loadgen_cpu_share"), None),
]


def cpu_per_100k(m: dict):
    if m.get("server_cpu_s") is None or not m.get("delivered"):
        return None
    return m["server_cpu_s"] * 1e5 / m["delivered"]


def rows_for(sizes: dict) -> list:
    rows = list(ROWS)
    for c in sizes["contacts"]:
        rows += [
            (f"presence deliveries, {c} contacts", "/s", lambda r, c=c: r[f"presence{c}"].get("deliveries_per_s"), True),
            (f"presence p99 per delivery, {c} contacts", "ms", lambda r, c=c: r[f"presence{c}"].get("delivery_p99_ms"),
             False),
            (f"presence p99 until the last contact, {c}", "ms", lambda r, c=c: r[f"presence{c}"].get("last_p99_ms"),
             False),
        ]
    rows += [
        ("sign-ins, STARTTLS + SCRAM-SHA-256, full", "/s", lambda r: r["signin_full"].get("signins_per_s"), True),
        ("sign-ins, STARTTLS + SCRAM-SHA-256, resumed", "/s", lambda r: r["signin_resumed"].get("signins_per_s"), True),
        ("RSS with 0 sessions", "KB", lambda r: r["rss0_tls"].get("rss_kb"), False),
        (f"memory per idle session, TLS ({sizes['idle']})", "KB", lambda r: r["rss_tls"].get("kb_per_session"), False),
        (f"memory per idle session, plain ({sizes['idle']})", "KB", lambda r: r["rss_plain"].get("kb_per_session"),
         False),
    ]
    return rows


def fmt(v) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


def report(results: dict, sizes: dict, out: Path, machine: str) -> str:
    names = list(results)
    peers = [n for n in names if n != "impd"]
    header = ["metric", "unit", *names, "impd / better peer"]
    table, rows_csv = [header], []
    for label, unit, get, higher in rows_for(sizes):
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
    md = [f"Benchmark run {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine}", "",
          "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
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
    (out / "raw.json").write_text(json.dumps({"sizes": sizes, "results": results}, indent=2))
    return text


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
    ap.add_argument("--quick", action="store_true", help="small sizes, for a first look")
    ap.add_argument("--idle", type=int, help="idle sessions for the memory runs (default: 50,000, or 2,000 with --quick, "
                    "capped by the file descriptor limit)")
    ap.add_argument("--out", default=str(HERE / "results" / datetime.date.today().isoformat()))
    a = ap.parse_args()
    build = Path(a.build).resolve()
    # The fd limit bounds idle sessions: each costs one descriptor in the server and one here.
    fd_cap = bench_profile.nofile_limit(60000) - 1000
    sizes = {"pairs": 50 if a.quick else 200, "seconds": 5 if a.quick else 10, "contacts": [100, 1000],
             "rounds": 10 if a.quick else 20, "signins": 300 if a.quick else 1000,
             "idle": min(a.idle or (2000 if a.quick else 50000), fd_cap)}
    users = max(2 * sizes["pairs"], sizes["signins"], sizes["idle"], max(sizes["contacts"]) + 1)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # impd inherits it
    results = {}
    with prosody_peer.Federation() as fed:
        for kind in a.servers.split(","):
            print(f"== {kind}: provisioning {users} users", flush=True)
            target = start_impd(build, fed, fed.root, users) if kind == "impd" else start_peer(kind, fed, users)
            try:
                results[kind] = run_workloads(build, target, sizes)
            finally:
                target.stop()
            print(json.dumps(results[kind]), flush=True)
    text = report(results, sizes, Path(a.out), machine())
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
