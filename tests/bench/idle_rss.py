#!/usr/bin/python3
"""Memory per idle session: start impd, sign N users in, read impd's VmRSS.

    /usr/bin/python3 tests/bench/idle_rss.py [--build build] [-n 1000] [--tls starttls|plain|direct]

Steps: make a throw-away folder with a certificate and config; create N users with impctl
(several processes in parallel, timed); start impd; read the baseline VmRSS; sign N sessions
in over raw asyncio sockets (TLS as chosen, SASL, resource binding, initial presence), spread
over several 127.0.0.x source addresses; wait; read VmRSS again and print the total, the
baseline and the KB per session. Everything runs on loopback and stops by itself.

Use a release build (the default, build/): a sanitizer build's RSS says little.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import math
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

import impd_harness  # noqa: E402
from raw_xmpp import RawXmpp  # noqa: E402

PASSWORD = "bench-Pw-1"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=str(impd_harness.REPO_ROOT / "build"),
                   help="build folder holding bin/impd and bin/impctl (default: %(default)s)")
    p.add_argument("-n", "--sessions", type=int, default=1000, help="users and sessions (default: %(default)s)")
    p.add_argument("--tls", choices=["starttls", "plain", "direct"], default="starttls",
                   help="starttls + PLAIN, plain TCP (tls = optional) + SCRAM-SHA-256, or direct TLS + PLAIN")
    p.add_argument("--jobs", type=int, default=max(2, (os.cpu_count() or 2) * 2),
                   help="parallel impctl processes when creating users (default: %(default)s)")
    p.add_argument("--concurrency", type=int, default=64, help="sign-ins in flight at once (default: %(default)s)")
    p.add_argument("--sources", type=int, default=0,
                   help="client source addresses 127.0.0.100.. (default: one per 20000 sessions, at least 4)")
    p.add_argument("--settle", type=float, default=5.0, help="seconds to wait before reading RSS (default: %(default)s)")
    p.add_argument("--host", default="127.0.0.1", help="loopback address impd listens on (default: %(default)s)")
    p.add_argument("--keep", action="store_true", help="keep the work folder (config, data, impd log)")
    return p.parse_args()


def raise_fd_limit(need: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, need))
    if want > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    if want < need:
        print(f"warning: file descriptor limit {want} is below the {need} needed", file=sys.stderr)


def vm(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def create_users(srv: impd_harness.ImpdServer, n: int, jobs: int) -> None:
    jids = [f"u{i:06d}@{srv.domain}" for i in range(n)]

    def add(jid: str) -> str | None:
        last = ""
        for attempt in range(10):
            res = srv.impctl("user", "add", jid, "--password", PASSWORD)
            if res.returncode == 0:
                return None
            last = res.stderr.strip()
            if "exist" in last.lower():       # an earlier try got through after all
                return None
            time.sleep(0.05 * (attempt + 1))  # e.g. the store was busy with another writer
        return f"{jid}: {last}"

    t0 = time.monotonic()
    err = add(jids[0])
    one = time.monotonic() - t0
    if err:
        raise SystemExit(f"impctl user add failed: {err}")
    print(f"impctl user add: {one * 1000:.0f} ms for one call; "
          f"a serial loop over {n} users would take ~{one * n:.0f} s")
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        errors = [e for e in pool.map(add, jids[1:]) if e]
    took = time.monotonic() - t0
    if errors:
        raise SystemExit(f"{len(errors)} users could not be created, e.g. {errors[0]}")
    res = srv.impctl("user", "list")
    count = sum(1 for tok in res.stdout.split() if tok.endswith("@" + srv.domain))
    print(f"created {n} users in {took + one:.1f} s with {jobs} parallel impctl processes; "
          f"impctl user list shows {count}")
    if count < n:
        raise SystemExit(f"only {count} of {n} users are in the store")


async def sign_in(srv: impd_harness.ImpdServer, n: int, mode: str, concurrency: int,
                  sources: list[str]) -> tuple[list[RawXmpp], list[str]]:
    sem = asyncio.Semaphore(concurrency)
    sessions: list[RawXmpp] = []
    failures: list[str] = []
    addr = srv.direct_tls if mode == "direct" else srv.c2s
    mech = "SCRAM-SHA-256" if mode == "plain" else "PLAIN"

    async def one(i: int) -> None:
        async with sem:
            try:
                c = await RawXmpp.connect(*addr, direct_tls=(mode == "direct"), ssl_ctx=srv.ssl_context(),
                                          source=sources[i % len(sources)], timeout=30)
                await c.login(f"u{i:06d}", PASSWORD, resource="idle", mech=mech, starttls=(mode == "starttls"))
                await c.presence()
                c.received = ""       # keep the client side small; nothing more is checked
                sessions.append(c)
            except Exception as e:     # count and go on: the report says how many failed
                failures.append(f"u{i:06d}: {type(e).__name__}: {str(e)[:200]}")

    await asyncio.gather(*(one(i) for i in range(n)))
    return sessions, failures


async def measure(args: argparse.Namespace, srv: impd_harness.ImpdServer) -> int:
    n = args.sessions
    nsrc = args.sources or max(4, math.ceil(n / 20000))
    sources = [f"127.0.0.{100 + k}" if k < 150 else f"127.0.{1 + (k - 150) // 250}.{1 + (k - 150) % 250}"
               for k in range(nsrc)]
    pid = srv.pid
    await asyncio.sleep(1.0)
    baseline = vm(pid, "VmRSS")
    print(f"impd pid {pid}: baseline VmRSS {baseline} KB")

    t0 = time.monotonic()
    sessions, failures = await sign_in(srv, n, args.tls, args.concurrency, sources)
    took = time.monotonic() - t0
    print(f"signed in {len(sessions)} of {n} sessions in {took:.1f} s "
          f"({len(sessions) / took if took else 0:.0f}/s, {args.tls}, {nsrc} source addresses)")
    for f in failures[:5]:
        print("  failed:", f)
    if not srv.alive():
        print("impd died during the sign-ins:\n" + srv.log_tail(4000), file=sys.stderr)
        return 1

    await asyncio.sleep(args.settle)
    rss, hwm = vm(pid, "VmRSS"), vm(pid, "VmHWM")
    live = sum(1 for c in sessions if not c.closed)
    per = (rss - baseline) / live if live else float("nan")
    print(f"impd VmRSS with {live} idle sessions: {rss} KB (peak {hwm} KB)")
    print(f"baseline {baseline} KB; {rss - baseline} KB for {live} sessions = {per:.1f} KB per session")
    print(f"RESULT sessions={live} rss_kb={rss} baseline_kb={baseline} kb_per_session={per:.2f} hwm_kb={hwm}")

    for c in sessions:
        c.abort(rst=False)
    await asyncio.sleep(0.2)
    return 0 if live == n else 1


def main() -> int:
    args = parse_args()
    build = Path(args.build).resolve()
    impd_harness.require_binaries(build)
    if "test" in build.name or "san" in build.name:
        print(f"note: {build} looks like a sanitizer build; its RSS is not representative", file=sys.stderr)
    raise_fd_limit(args.sessions * 2 + 256)

    work = Path(tempfile.mkdtemp(prefix="impd-idle-rss-"))
    cert = impd_harness.make_certificate(work / "cert")
    n = args.sessions
    srv = impd_harness.ImpdServer(
        work / "impd", host=args.host, cert=cert, build=build, name="impd",
        overrides={
            "server": {"log_level": "info"},
            "xmpp": {"c2s": {
                "tls": "optional" if args.tls == "plain" else "required",
                "max_connections_per_ip": n + 100,
                "connect_rate_per_ip": max(50, n),
                "idle_timeout": 3600, "keepalive": 600, "negotiation_timeout": 60,
            }},
        })
    status = 1
    try:
        create_users(srv, n, args.jobs)
        srv.start()
        status = asyncio.run(measure(args, srv))
    finally:
        try:
            rc = srv.stop()
            print(f"impd exited with status {rc} after SIGTERM")
            if rc != 0:
                status = 1
        except AssertionError as e:
            print(e, file=sys.stderr)
            status = 1
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
