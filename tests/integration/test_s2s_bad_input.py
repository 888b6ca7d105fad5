"""Bad input on the server-to-server port: each gets the protocol's own stream error, closes
only its own stream, and a signed-in pair keeps chatting meanwhile. Raw sockets, no peer
server needed."""

from __future__ import annotations

import asyncio
import socket

import pytest

import impd_harness
import xmpp_client

HEADER = ("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
          "xmlns:db='jabber:server:dialback' version='1.0' from='evil.test' to='imp.test'>")


def s2s_config(srv_host: str, port: int) -> dict:
    return {"xmpp": {"s2s": {"enabled": True, "listen": [f"{srv_host}:{port}"], "tls": "optional",
                             "dialback_secret": "bad-input-secret-0123456789"}}}


def exchange(host: str, port: int, payload: bytes, wait: float = 3.0) -> str:
    """Sends payload and reads until the server closes (or `wait` passes)."""
    with socket.create_connection((host, port), timeout=wait) as s:
        s.sendall(payload)
        chunks = []
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    break
                chunks.append(data)
        except socket.timeout:
            pass
    return b"".join(chunks).decode(errors="replace")


CASES = [
    ("not-well-formed", HEADER.encode() + b"<message><body>unclosed</message>"),
    ("restricted-xml", HEADER.encode() + b"<!-- a comment -->"),
    ("not-authorized", HEADER.encode() + b"<message from='x@evil.test' to='alice@imp.test'><body>hi</body></message>"),
    ("invalid-namespace", b"<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
                          b"to='imp.test' version='1.0'>"),
    ("host-unknown", HEADER.replace("to='imp.test'", "to='elsewhere.test'").encode()),
    ("invalid-from", HEADER.replace("from='evil.test'", "from='imp.test'").encode()),
    ("unsupported-stanza-type", HEADER.encode() + b"<hello xmlns='urn:example'/>"),
    ("policy-violation", HEADER.encode() + b"<message from='x@evil.test' to='alice@imp.test'>" + b"<x>" * 40),
]


@pytest.mark.timeout_s(120)
async def test_bad_input_on_the_s2s_port_gets_stream_errors(impd_factory):
    srv = impd_factory(start=False)
    (port,) = impd_harness.free_ports(srv.host, 1, avoid=srv.ports)
    srv.config = impd_harness.deep_merge(srv.config, s2s_config(srv.host, port))
    srv.write_config()
    srv.start()
    srv.add_users("alice", "bob")
    alice = await xmpp_client.login(srv, "alice")
    bob = await xmpp_client.login(srv, "bob")
    for condition, payload in CASES:
        reply = await asyncio.to_thread(exchange, srv.host, port, payload)
        assert f"<{condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>" in reply, f"{condition}: {reply!r}"
        assert reply.rstrip().endswith("</stream:stream>"), f"{condition}: the stream was not closed: {reply!r}"
        await xmpp_client.chat_roundtrip(alice, bob, f"still fine after {condition}")
    # A dialback key that is wrong is refused without harm, and a verify for a domain we do not
    # host is an item-not-found answer, not a crash.
    reply = await asyncio.to_thread(exchange, srv.host, port, HEADER.encode() +
                                    b"<db:verify from='evil.test' to='imp.test' id='x'>00</db:verify>"
                                    b"<db:verify from='evil.test' to='nothere.test' id='y'>00</db:verify>", 1.5)
    assert "type='invalid'" in reply and "<item-not-found" in reply, reply
    assert srv.alive()
