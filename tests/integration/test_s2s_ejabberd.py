"""XMPP federation between impd (imp.test) and a real ejabberd 23.01 (ejabberd.test).

Both find each other through the test DNS server (SRV records). Users on both sides subscribe
and approve each other, exchange presence and chat, once per way ejabberd authenticates:
- dialback: certificates neither side trusts. ejabberd offers SASL EXTERNAL on every TLS
  stream, fails it for a certificate it cannot verify (<failure/>), and offers dialback too
  because mod_s2s_dialback is loaded; its own outgoing streams skip the certificate check,
  find no EXTERNAL offered by impd, and retry with dialback.
- mixed: ejabberd refuses impd's certificate (EXTERNAL fails, impd falls back to dialback)
  while impd accepts ejabberd's (EXTERNAL the other way).
- SASL EXTERNAL: certificates from the shared test CA, and no mod_s2s_dialback, so each
  direction authenticates with its certificate or not at all.

ejabberd 23.01 (its xmpp library 1.6.1) crashes the incoming stream when it checks a trusted
certificate that carries an id-on-xmppAddr name (get_domains_from_san returns a binary where
a list belongs) and closes the stream without a SASL answer. impd's certificate for the
EXTERNAL test therefore has dNSName entries only; ejabberd's own may keep xmppAddr, which impd
reads without trouble. The last test keeps xmppAddr on purpose: impd must get past the crash.
"""

from __future__ import annotations

import pytest

import prosody_peer
import xmpp_client
from impd_federation import IMPD, WAIT, start_impd

federation = prosody_peer.federation  # the fixture, made visible to this module

EJABBERD = "ejabberd.test"


async def subscribe_presence_chat(impd, peer) -> None:
    """alice@imp.test and bob@ejabberd.test: subscribe and approve both ways, presence both
    ways, a message each way."""
    alice = await xmpp_client.login(impd, "alice")
    bob = await xmpp_client.login(peer, "bob")
    await xmpp_client.become_friends(alice, bob, timeout=WAIT)
    alice.presence(show="dnd", status="in a meeting")
    await bob.expect_presence(alice.jid, "available", show_="dnd", status_="in a meeting", timeout=WAIT)
    bob.presence(show="away", status="lunch")
    await alice.expect_presence(bob.jid, "available", show_="away", status_="lunch", timeout=WAIT)
    await xmpp_client.chat_roundtrip(alice, bob, "hello from imp.test", timeout=WAIT)
    await xmpp_client.chat_roundtrip(bob, alice, "hello from ejabberd.test", timeout=WAIT)


def assert_ejabberd_auth(peer, mech: str) -> None:
    """ejabberd's own account of both directions (mech: "dialback" or "EXTERNAL")."""
    log = peer.log()
    assert f"Accepted inbound s2s {mech} authentication {IMPD} -> {EJABBERD}" in log
    assert f"Accepted outbound s2s {mech} authentication {EJABBERD} -> {IMPD}" in log


@pytest.mark.timeout_s(60)
async def test_dialback_with_untrusted_certificates(impd_factory, federation):
    peer = federation.ejabberd(EJABBERD, users=["bob"], cert="self-signed", dialback=True)
    impd = start_impd(impd_factory, federation, cert="self-signed")
    await subscribe_presence_chat(impd, peer)
    log = impd.log()
    assert f"{EJABBERD} authenticated with dialback for {IMPD}" in log
    assert f"{IMPD} -> {EJABBERD}: stream established (dialback, TLS)" in log
    assert "authenticated with SASL EXTERNAL" not in log
    assert_ejabberd_auth(peer, "dialback")


@pytest.mark.timeout_s(60)
async def test_external_refused_one_way_falls_back_to_dialback(impd_factory, federation):
    """Certificates from the test CA, TLS required, but ejabberd checks incoming certificates
    against a CA that signed nothing: impd's EXTERNAL gets <failure/> and impd retries with
    dialback, while ejabberd's own stream to impd (which trusts the test CA) uses EXTERNAL."""
    peer = federation.ejabberd(EJABBERD, users=["bob"], s2s_verify_incoming=False, s2s_use_starttls="required")
    impd = start_impd(impd_factory, federation, cert=federation.cert(IMPD, xmpp_addr=False),
                      s2s={"tls": "required"})
    await subscribe_presence_chat(impd, peer)
    log, peer_log = impd.log(), peer.log()
    assert f"{IMPD} -> {EJABBERD}: SASL EXTERNAL refused, trying dialback" in log
    assert f"{IMPD} -> {EJABBERD}: stream established (dialback, TLS)" in log
    assert f"{EJABBERD} authenticated with SASL EXTERNAL (certificate) for {IMPD}" in log
    assert f"Failed inbound s2s EXTERNAL authentication {IMPD} -> {EJABBERD}" in peer_log
    assert f"Accepted inbound s2s dialback authentication {IMPD} -> {EJABBERD}" in peer_log
    assert f"Accepted outbound s2s EXTERNAL authentication {EJABBERD} -> {IMPD}" in peer_log


@pytest.mark.timeout_s(60)
async def test_sasl_external_with_shared_ca(impd_factory, federation):
    peer = federation.ejabberd(EJABBERD, users=["bob"], dialback=False, s2s_use_starttls="required")
    impd = start_impd(impd_factory, federation, cert=federation.cert(IMPD, xmpp_addr=False))
    await subscribe_presence_chat(impd, peer)
    log = impd.log()
    assert f"{EJABBERD} authenticated with SASL EXTERNAL (certificate) for {IMPD}" in log
    assert f"{IMPD} -> {EJABBERD}: stream established (SASL EXTERNAL, TLS)" in log
    assert "authenticated with dialback" not in log
    assert_ejabberd_auth(peer, "EXTERNAL")


@pytest.mark.timeout_s(60)
async def test_peer_that_hangs_up_during_external_gets_dialback(impd_factory, federation):
    """impd's certificate carries xmppAddr, which makes ejabberd 23.01 drop the stream instead
    of answering SASL EXTERNAL. impd remembers that and uses dialback on a new stream; the
    message that was waiting is delivered, not bounced."""
    peer = federation.ejabberd(EJABBERD, users=["bob"], dialback=True)
    impd = start_impd(impd_factory, federation)
    alice = await xmpp_client.login(impd, "alice")
    bob = await xmpp_client.login(peer, "bob")
    alice.message(bob.jid, "despite the crash")
    await bob.expect_message(frm=alice.jid, body_="despite the crash", timeout=WAIT)
    log = impd.log()
    assert "the peer dropped the stream during SASL EXTERNAL" in log
    assert f"{IMPD} -> {EJABBERD}: stream established (dialback, TLS)" in log
    assert "answered remote-server-not-found" not in log
