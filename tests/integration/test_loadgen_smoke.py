"""A tiny run of every workload of the benchmark's load generator against impd, so the
generator keeps working between benchmark runs. No timing is asserted: this is not the
benchmark (`make bench` is)."""

from __future__ import annotations

import asyncio
import json

import pytest

import impd_harness
import prosody_peer
from impd_federation import start_impd

federation = prosody_peer.federation  # the fixture (its test CA and DNS server), for the s2s run

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


@pytest.mark.timeout_s(60)
async def test_s2s_workload_runs(impd_factory, federation):
    """The s2s workload between two federated impd (a.imp.test and b.imp.test), one pair."""
    servers = []
    for side in ("a", "b"):
        domain = f"{side}.imp.test"

        def make(overrides, start=False, domain=domain, side=side):
            srv = impd_factory(overrides, start=False, name=f"impd-{side}")
            srv.domain = domain  # start_impd adds its test users to srv.domain
            return srv

        # srv=False and records of its own: start_impd would publish both under xmpp.imp.test.
        srv = start_impd(make, federation, srv=False, domains=(domain,))
        federation.dns.xmpp_server(domain, f"xmpp.{domain}", srv.s2s_port).host_record(f"xmpp.{domain}", srv.host)
        srv.add_users("u0", "u1", password=PASSWORD)
        servers.append(srv)
    federation.dns.restart()
    a, b = servers
    host, port = b.c2s
    result = await asyncio.to_thread(loadgen, a, "s2s", "--server2", f"{host}:{port}", "--domain2", b.domain,
                                     "--server2-pid", str(b.pid), "--users", "1", "--seconds", "1")
    assert result["workload"] == "s2s" and result["delivered"] > 0 and result["latency_p99_ms"] is not None
    assert result["server_cpu_s"] >= 0 and result["server2_cpu_s"] >= 0


def test_tls_footprint_counts_openssl_state():
    """The bench's impd-tls-footprint: some kilobytes per idle TLS 1.3 connection. The range only
    catches a count that went wrong (nothing counted, or the clients counted too)."""
    res = impd_harness.run_cli([str(impd_harness.binary("impd-tls-footprint")), "--connections", "20"], timeout=60)
    assert res.returncode == 0, f"impd-tls-footprint: {res.stdout} {res.stderr}"
    result = json.loads(res.stdout.strip().splitlines()[-1])
    assert result["version"] == "TLSv1.3" and result["connections"] == 20
    assert 4_000 < result["bytes_per_connection"] < 60_000, result


def test_tls_footprint_names_openssl_objects():
    """--by-site: OpenSSL's live allocations per connection by source line. The SSL object is the
    largest; the sites add up to the total; nothing freed (the clients) is left in them."""
    res = impd_harness.run_cli([str(impd_harness.binary("impd-tls-footprint")), "--connections", "20",
                                "--by-site"], timeout=60)
    assert res.returncode == 0, f"impd-tls-footprint --by-site: {res.stdout} {res.stderr}"
    result = json.loads(res.stdout.strip().splitlines()[-1])
    sites = result["sites"]
    assert sites and sites[0]["where"].startswith("ssl/ssl_lib.c:"), sites[:3]
    assert sites[0]["allocations"] == 1.0, sites[0]
    assert abs(sum(s["bytes"] for s in sites) - result["requested_bytes_per_connection"]) < 1.0
    assert 4_000 < result["requested_bytes_per_connection"] < 60_000, result
