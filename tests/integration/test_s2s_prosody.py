"""XMPP federation between impd (imp.test) and a real Prosody (prosody.test).

Both find each other through the test DNS server on loopback (SRV records), both hold
certificates from a test CA made by the test, and slixmpp users on both sides subscribe,
exchange presence and chat. Each authentication path the issue names is run: dialback only,
SASL EXTERNAL, and TLS required; plus SRV fail-over, offline delivery and the federation policy.
"""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

import impd_harness
import prosody_peer
from impd_federation import IMPD, WAIT, start_impd, wait_for_log
import xmpp_client
from xmpp_client import error_condition

federation = prosody_peer.federation  # the fixture, made visible to this module

PROSODY = "prosody.test"


async def befriend_and_chat(impd, prosody):
    alice = await xmpp_client.login(impd, "alice")
    bob = await xmpp_client.login(prosody, "bob")
    await xmpp_client.become_friends(alice, bob, timeout=WAIT)
    await xmpp_client.chat_roundtrip(alice, bob, "hello from imp.test", timeout=WAIT)
    # Presence changes travel both ways once subscribed.
    alice.presence(show="dnd", status="in a meeting")
    await bob.expect_presence(alice.jid, "available", show_="dnd", status_="in a meeting", timeout=WAIT)
    bob.presence(show="away", status="lunch")
    await alice.expect_presence(bob.jid, "available", show_="away", status_="lunch", timeout=WAIT)
    return alice, bob


@pytest.mark.timeout_s(90)
async def test_dialback_only(impd_factory, federation):
    """No certificate either side trusts: Server Dialback both ways, over STARTTLS."""
    prosody = federation.prosody(PROSODY, users=["bob"], cert="self-signed", s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation, cert="self-signed", s2s={"sasl_external": False})
    await befriend_and_chat(impd, prosody)
    log = impd.log()
    assert f"{PROSODY} authenticated with dialback for {IMPD}" in log
    assert f"{IMPD} -> {PROSODY}: stream established (dialback, TLS)" in log
    assert "verified dialback key" in prosody.log()


@pytest.mark.timeout_s(90)
async def test_sasl_external(impd_factory, federation):
    """Certificates from the shared test CA: SASL EXTERNAL (XEP-0178) both ways, no dialback."""
    prosody = federation.prosody(PROSODY, users=["bob"], s2s_secure_auth=True)
    impd = start_impd(impd_factory, federation)
    await befriend_and_chat(impd, prosody)
    log = impd.log()
    assert f"{PROSODY} authenticated with SASL EXTERNAL (certificate) for {IMPD}" in log
    assert f"{IMPD} -> {PROSODY}: stream established (SASL EXTERNAL, TLS)" in log
    assert "authenticated with dialback" not in log
    assert f"Accepting SASL EXTERNAL identity from {IMPD}" in prosody.log()


@pytest.mark.timeout_s(90)
async def test_sasl_external_from_peer_with_server_auth_only_certificate(impd_factory, federation):
    """Servers often reuse a certificate whose extendedKeyUsage says serverAuth only when they
    connect out; impd accepts it as a client certificate (RFC 6120 §13.7.1.2 practice)."""
    cert = federation.cert(PROSODY, client_auth=False)
    prosody = federation.prosody(PROSODY, users=["bob"], cert=cert, s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation)
    alice = await xmpp_client.login(impd, "alice")
    bob = await xmpp_client.login(prosody, "bob")
    bob.message(alice.jid, "from a serverAuth-only certificate")
    await alice.expect_message(frm=bob.jid, body_="from a serverAuth-only certificate", timeout=WAIT)
    assert f"{PROSODY} authenticated with SASL EXTERNAL (certificate) for {IMPD}" in impd.log()


@pytest.mark.timeout_s(90)
async def test_several_local_domains_federate(impd_factory, federation):
    """Each local domain has its own streams: one outbound per (local, remote) pair, and the
    peer authenticates each pair on its inbound stream."""
    prosody = federation.prosody(PROSODY, users=["bob"], s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation, domains=(IMPD, "corp.test"))
    impd.add_user("dave@corp.test")
    alice = await xmpp_client.login(impd, "alice")
    dave = await xmpp_client.login(impd, "dave@corp.test")
    bob = await xmpp_client.login(prosody, "bob")
    for local in (alice, dave):
        await xmpp_client.chat_roundtrip(local, bob, f"hello from {local.bare}", timeout=WAIT)
    log = impd.log()
    assert f"{IMPD} -> {PROSODY}: stream established" in log
    assert f"corp.test -> {PROSODY}: stream established" in log


@pytest.mark.timeout_s(90)
async def test_tls_required(impd_factory, federation):
    """tls = "required" on impd: STARTTLS is mandatory in both directions, auth by dialback."""
    prosody = federation.prosody(PROSODY, users=["bob"], cert="untrusted", s2s_secure_auth=False,
                                 s2s_require_encryption=True)
    impd = start_impd(impd_factory, federation, s2s={"tls": "required"})
    await befriend_and_chat(impd, prosody)
    log = impd.log()
    assert f"{IMPD} -> {PROSODY}: stream established" in log and ", no TLS)" not in log


@pytest.mark.timeout_s(120)
async def test_srv_failover_to_second_target(impd_factory, federation):
    """prosody.test publishes two SRV targets; the preferred one is dead. impd must try the
    next record instead of giving up (some peers only ever try the first)."""
    prosody = federation.prosody(PROSODY, users=["bob"], srv=False, s2s_secure_auth=False)
    dead_host = prosody_peer.peer_host(7)
    (dead_port,) = impd_harness.free_ports(dead_host, 1)  # nothing listens there
    federation.dns.xmpp_server(PROSODY, f"dead.{PROSODY}", dead_port, priority=0)
    federation.dns.host_record(f"dead.{PROSODY}", dead_host)
    federation.dns.xmpp_server(PROSODY, f"xmpp.{PROSODY}", prosody.s2s_port, priority=10)
    federation.dns.host_record(f"xmpp.{PROSODY}", prosody.host)
    impd = start_impd(impd_factory, federation)
    alice = await xmpp_client.login(impd, "alice")
    bob = await xmpp_client.login(prosody, "bob")
    alice.message(bob.jid, "through the second record")
    await bob.expect_message(frm=alice.jid, body_="through the second record", timeout=WAIT)
    log = impd.log()
    assert f"dead.{PROSODY}" in log and "does not answer" in log


@pytest.mark.timeout_s(90)
async def test_offline_delivery_and_request_while_offline(impd_factory, federation):
    """A remote message and a remote subscription request to a local user who is offline
    both wait for the next login."""
    prosody = federation.prosody(PROSODY, users=["bob"], s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation)
    bob = await xmpp_client.login(prosody, "bob")
    bob.presence(to=f"alice@{IMPD}", type_="subscribe")
    bob.message(f"alice@{IMPD}", "left while you were away")
    # Both must have crossed before alice signs in; nothing tells Prosody's user when.
    await wait_for_log(impd, f"{PROSODY} authenticated")
    await asyncio.sleep(1.0)
    alice = await xmpp_client.login(impd, "alice")
    msg = await alice.expect_message(frm=bob.bare, body_="left while you were away", timeout=WAIT)
    assert xmpp_client.delay(msg) is not None, "offline message without a delay stamp"
    await alice.expect_presence(bob.bare, "subscribe", timeout=WAIT)


@pytest.mark.timeout_s(90)
async def test_denied_domain_gets_policy_violation(impd_factory, federation):
    prosody = federation.prosody(PROSODY, users=["bob"], s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation, s2s={"policy": "denylist", "deny": [PROSODY]})
    alice = await xmpp_client.login(impd, "alice")
    alice.message(f"bob@{PROSODY}", "should not leave")
    err = await alice.expect_message(lambda m: xmpp_client.stype(m) == "error", frm=f"bob@{PROSODY}",
                                     timeout=WAIT)
    assert error_condition(err) == "policy-violation"
    # The other way: Prosody's user cannot reach alice, and alice sees nothing.
    bob = await xmpp_client.login(prosody, "bob")
    bob.message(alice.jid, "knock knock")
    await bob.expect_message(lambda m: xmpp_client.stype(m) == "error", frm=alice.jid, timeout=WAIT)
    await alice.messages.expect_none(lambda m: xmpp_client.body(m) == "knock knock", 1.0, "message from denied domain")
    # A subscription request from a domain the operator does not permit never reaches the user.
    bob.presence(to=alice.bare, type_="subscribe")
    await alice.expect_no_presence(bob.bare, "subscribe", within=1.0)
    assert f"refusing a stream from {PROSODY}: federation policy" in impd.log()


@pytest.mark.timeout_s(90)
async def test_allowlisted_domain_works(impd_factory, federation):
    prosody = federation.prosody(PROSODY, users=["bob"], s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation, s2s={"policy": "allowlist", "allow": [PROSODY]})
    alice = await xmpp_client.login(impd, "alice")
    bob = await xmpp_client.login(prosody, "bob")
    await xmpp_client.chat_roundtrip(alice, bob, "allowed", timeout=WAIT)
    # A domain that is not on the list is refused without any DNS lookup or connection.
    alice.message(f"someone@sub.{PROSODY}", "not on the list")
    err = await alice.expect_message(lambda m: xmpp_client.stype(m) == "error", frm=f"someone@sub.{PROSODY}",
                                     timeout=WAIT)
    assert error_condition(err) == "policy-violation"
    assert f"sub.{PROSODY}" not in federation.dns.log()


@pytest.mark.timeout_s(60)
async def test_unreachable_domain_bounces(impd_factory, federation):
    impd = start_impd(impd_factory, federation, srv=False)
    alice = await xmpp_client.login(impd, "alice")
    alice.message("nobody@nowhere.test", "hello?")
    err = await alice.expect_message(lambda m: xmpp_client.stype(m) == "error", frm="nobody@nowhere.test",
                                     timeout=WAIT)
    assert error_condition(err) in ("remote-server-not-found", "remote-server-timeout")


@pytest.mark.timeout_s(90)
async def test_impctl_check_federation(impd_factory, federation):
    """The operator's check walks the same path a stream takes: DNS, TCP, STARTTLS and the
    certificate, then authentication (SASL EXTERNAL here: Prosody trusts our test CA)."""
    federation.prosody(PROSODY, users=["bob"])
    impd = start_impd(impd_factory, federation, s2s={"deny": ["blocked.test"], "policy": "denylist"})
    res = await asyncio.to_thread(impd.impctl, "check", "federation", PROSODY)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"_xmpp-server._tcp.{PROSODY}: 1 record(s)" in res.stdout
    assert "certificate chain: trusted" in res.stdout
    assert f"certificate identity: names {PROSODY}" in res.stdout
    assert "authenticated with SASL EXTERNAL over TLS" in res.stdout
    denied = await asyncio.to_thread(impd.impctl, "check", "federation", "blocked.test")
    assert denied.returncode == 1 and "policy" in denied.stderr
    local = await asyncio.to_thread(impd.impctl, "check", "federation", IMPD)
    assert local.returncode == 1 and "local domain" in local.stderr


@pytest.mark.timeout_s(90)
async def test_sighup_reloads_the_federation_policy(impd_factory, federation):
    prosody = federation.prosody(PROSODY, users=["bob"], s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation)
    alice = await xmpp_client.login(impd, "alice")
    bob = await xmpp_client.login(prosody, "bob")
    await xmpp_client.chat_roundtrip(alice, bob, "before the change", timeout=WAIT)
    impd.config["xmpp"]["s2s"].update({"policy": "denylist", "deny": [PROSODY]})
    impd.write_config()
    os.kill(impd.pid, signal.SIGHUP)
    await wait_for_log(impd, "SIGHUP: federation policy reloaded")
    alice.message(bob.jid, "after the change")
    err = await alice.expect_message(lambda m: xmpp_client.stype(m) == "error", frm=bob.jid, timeout=WAIT)
    assert error_condition(err) == "policy-violation"
    # The stream Prosody already has to us carries nothing more either.
    bob.message(alice.jid, "still there?")
    await alice.messages.expect_none(lambda m: xmpp_client.body(m) == "still there?", 2.0, "message after deny")
