"""Self-test of the federation harness: two Prosody peers found through the test DNS server
exchange chat messages across s2s, once authenticated by certificates (SASL EXTERNAL with the
test CA) and once by dialback (certificates nobody trusts). No impd is involved."""

from __future__ import annotations

import re

import pytest

import prosody_peer
import xmpp_client

federation = prosody_peer.federation   # the fixture, made visible to this module

EXTERNAL_ACCEPTED = "Accepting SASL EXTERNAL identity from"
DIALBACK_VERIFIED = "verified dialback key"


async def exchange(fed, a_settings: dict, b_settings: dict) -> tuple:
    a = fed.prosody("prosody.test", users=["alice"], **a_settings)
    b = fed.prosody("prosody2.test", users=["bob"], **b_settings)
    alice = await xmpp_client.login(a, "alice", roster=False)
    bob = await xmpp_client.login(b, "bob", roster=False)
    # Full JIDs both ways: each direction is its own s2s connection, authenticated on its own.
    await xmpp_client.chat_roundtrip(alice, bob, "hello across the federation", timeout=10)
    for domain in (a.domain, b.domain):   # each side found the other through the test DNS server
        assert f"query[SRV] _xmpp-server._tcp.{domain} " in fed.dns.log(), f"no SRV lookup of {domain}"
    return a, b


@pytest.mark.timeout_s(60)
async def test_federation_with_certificates(federation):
    a, b = await exchange(federation, {}, {})
    for receiver, sender in ((b, a), (a, b)):
        log = receiver.log()
        assert f"{EXTERNAL_ACCEPTED} {sender.domain}" in log, f"{receiver.name} did not accept EXTERNAL"
        assert DIALBACK_VERIFIED not in log, f"{receiver.name} fell back to dialback"


@pytest.mark.timeout_s(60)
async def test_federation_with_dialback(federation):
    insecure = {"s2s_secure_auth": False}
    a, b = await exchange(federation, dict(insecure, cert="self-signed"), dict(insecure, cert="untrusted"))
    for peer in (a, b):
        log = peer.log()
        assert DIALBACK_VERIFIED in log, f"{peer.name} verified no dialback key"
        assert EXTERNAL_ACCEPTED not in log, f"{peer.name} accepted EXTERNAL from an untrusted certificate"
        assert re.search(r"s2sin\w*\tinfo\tStream encrypted", log), f"{peer.name}: s2s without TLS"
