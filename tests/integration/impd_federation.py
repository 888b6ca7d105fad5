"""impd as one side of a federation test: a certificate from the federation's test CA, the
federation's DNS server as its resolver, and (optionally) its own SRV records in that DNS so
the peer can connect back (dialback needs both directions)."""

from __future__ import annotations

import asyncio

import impd_harness

IMPD = "imp.test"
SECRET = "a-dialback-secret-shared-by-all-nodes"
WAIT = 15.0  # s2s set-up includes a dialback round trip through a second connection


def start_impd(impd_factory, fed, *, s2s: dict | None = None, cert="trusted",
               srv: bool = True, extra: dict | None = None,
               domains: tuple = (IMPD,)):
    """impd for `domains` with a certificate of the given kind (or a certs.ServerCert made by
    fed.cert), resolving through fed.dns, and (srv=True) published in that DNS so the peer can
    connect back for dialback."""
    server_cert = fed.cert(domains[0], cert, extra_names=domains[1:]) if isinstance(cert, str) else cert
    overrides = impd_harness.deep_merge({
        "server": {"domains": list(domains)},
        "tls": {"certificate": str(server_cert.cert), "key": str(server_cert.key),
                "ca_file": str(fed.ca.cert_path)},
        "dns": {"servers": [fed.dns.endpoint]},
        "xmpp": {"s2s": {"enabled": True, "tls": "optional",
                         "dialback_secret": SECRET, **(s2s or {})}},
    }, extra or {})
    srv_ = impd_factory(overrides, start=False)
    host = srv_.host
    (s2s_port,) = impd_harness.free_ports(host, 1, avoid=srv_.ports)
    srv_.config["xmpp"]["s2s"]["listen"] = [f"{host}:{s2s_port}"]
    srv_.write_config()
    srv_.cafile = server_cert.trust  # what a client must trust: the test CA, or the certificate itself
    srv_.s2s_port = s2s_port
    if srv:
        for domain in domains:
            fed.dns.xmpp_server(domain, f"xmpp.{IMPD}", s2s_port)
        fed.dns.host_record(f"xmpp.{IMPD}", host)
        fed.dns.restart()
    srv_.start()
    srv_.add_users("alice", "carol")
    return srv_


async def wait_for_log(server, text: str, timeout: float = WAIT) -> None:
    for _ in range(int(timeout / 0.1)):
        if text in server.log():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{server.name}: no log line {text!r}")
