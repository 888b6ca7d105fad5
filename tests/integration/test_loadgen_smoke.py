"""A tiny run of every workload of the benchmark's load generator against impd, so the
generator keeps working between benchmark runs. No timing is asserted: this is not the
benchmark (`make bench` is)."""

from __future__ import annotations

import asyncio
import json

import pytest

import impd_harness

PASSWORD = "bench-pw"


def loadgen(srv, workload: str, *args: str) -> dict:
    host, port = srv.c2s
    res = impd_harness.run_cli([str(impd_harness.binary("impd-loadgen")), workload, "--server", f"{host}:{port}",
                                "--domain", srv.domain, "--password", PASSWORD, "--prefix", "u",
                                "--server-pid", str(srv.pid), *args], timeout=60)
    assert res.returncode == 0, f"impd-loadgen {workload}: {res.stdout} {res.stderr}"
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.mark.timeout_s(120)
async def test_every_workload_runs(impd_server):
    for i in range(6):
        impd_server.add_user(f"u{i}", PASSWORD)
    result = await asyncio.to_thread(loadgen, impd_server, "signin", "--users", "6", "--concurrency", "2",
                                     "--mech", "SCRAM-SHA-256", "--resume")
    assert result["signins"] == 6 and result["signins_per_s"] > 0
    result = await asyncio.to_thread(loadgen, impd_server, "messages", "--users", "2", "--seconds", "1")
    assert result["delivered"] > 0 and result["latency_p99_ms"] is not None
    assert result["server_cpu_s"] >= 0
    result = await asyncio.to_thread(loadgen, impd_server, "presence", "--users", "4", "--rounds", "3")
    assert result["rounds"] == 3 and result["deliveries_per_s"] > 0
