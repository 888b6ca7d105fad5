"""Stream negotiation: STARTTLS, direct TLS, SASL mechanisms, binding (RFC 6120, XEP-0368)."""

from __future__ import annotations

import asyncio
import subprocess

import pytest

from impd_harness import DEFAULT_PASSWORD, DELETE, c2s
from raw_xmpp import NS_BIND, NS_SASL, NS_STREAM, NS_TLS, AuthFailed, RawXmpp, q
import xmpp_client as xc

MECHS = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]


async def raw(srv, *, direct_tls: bool = False, **kw) -> RawXmpp:
    addr = srv.direct_tls if direct_tls else srv.c2s
    return await RawXmpp.connect(*addr, direct_tls=direct_tls, ssl_ctx=srv.ssl_context(), **kw)


async def test_required_tls_features(impd_server):
    c = await raw(impd_server)
    features = await c.open_stream()
    starttls = features.find(q(NS_TLS, "starttls"))
    assert starttls is not None, "STARTTLS must be offered"
    assert starttls.find(q(NS_TLS, "required")) is not None, "tls = required must mark STARTTLS <required/>"
    assert "PLAIN" not in c.mechanisms(), "PLAIN must not be offered before TLS"

    features = await c.starttls()
    assert features.find(q(NS_TLS, "starttls")) is None, "STARTTLS offered again after TLS"
    mechs = c.mechanisms()
    for m in MECHS:
        assert m in mechs, f"{m} not offered after TLS: {mechs}"
    await c.close()


@pytest.mark.parametrize("mech", MECHS)
async def test_starttls_login_raw(impd_server, mech):
    impd_server.add_user("alice")
    c = await raw(impd_server)
    features = await c.login("alice", DEFAULT_PASSWORD, mech=mech, resource="laptop")
    assert c.tls
    assert features.find(q(NS_BIND, "bind")) is not None, "resource binding not offered after SASL"
    assert c.jid == "alice@imp.test/laptop"
    await c.close()


@pytest.mark.parametrize("mech", MECHS)
async def test_starttls_login_slixmpp(impd_server, mech):
    impd_server.add_user("alice")
    cl = await xc.login(impd_server, "alice", mech=mech, resource="phone")
    assert cl.mech_used() == mech
    assert cl.jid == "alice@imp.test/phone"
    await cl.close()


@pytest.mark.parametrize("mech", MECHS)
async def test_wrong_password_not_authorized(impd_server, mech):
    impd_server.add_user("alice")
    c = await raw(impd_server)
    await c.open_stream()
    await c.starttls()
    with pytest.raises(AuthFailed) as info:
        await c.authenticate("alice", "not-the-password", mech)
    assert info.value.condition == "not-authorized"
    await c.close()


async def test_unknown_user_not_authorized(impd_server):
    c = await raw(impd_server)
    await c.open_stream()
    await c.starttls()
    for mech in MECHS:
        with pytest.raises(AuthFailed) as info:
            await c.authenticate("nobody", "whatever-pw", mech)
        assert info.value.condition == "not-authorized", f"{mech}: {info.value}"
        if mech != MECHS[-1] and c.closed:
            break
    await c.close()


async def test_retry_after_failure_on_same_stream(impd_server):
    impd_server.add_user("alice")
    c = await raw(impd_server)
    await c.open_stream()
    await c.starttls()
    with pytest.raises(AuthFailed):
        await c.authenticate("alice", "wrong-pw", "SCRAM-SHA-1")
    await c.authenticate("alice", DEFAULT_PASSWORD, "SCRAM-SHA-1")
    jid = await c.bind()
    assert jid.startswith("alice@imp.test/") and len(jid) > len("alice@imp.test/"), \
        f"server should pick a resource when the client gives none: {jid}"
    await c.close()


async def test_too_many_failures_close_the_stream(impd_server):
    impd_server.add_user("alice")
    limit = impd_server.c2s_setting("auth_failures_before_close")
    c = await raw(impd_server)
    await c.open_stream()
    await c.starttls()
    for i in range(limit):
        try:
            await c.auth_plain("alice", f"wrong-{i}")
        except AuthFailed:
            continue
        pytest.fail("a wrong password was accepted")
    await c.expect_closed(timeout=5)


async def test_slixmpp_wrong_password(impd_server):
    impd_server.add_user("alice")
    with pytest.raises(AssertionError):
        await xc.login(impd_server, "alice", "definitely-wrong", mech="SCRAM-SHA-256", timeout=8)


async def test_direct_tls_login(impd_server):
    impd_server.add_user("alice")
    c = await raw(impd_server, direct_tls=True)
    features = await c.open_stream()
    assert features.find(q(NS_TLS, "starttls")) is None, "no STARTTLS inside direct TLS"
    assert "PLAIN" in c.mechanisms()
    await c.authenticate("alice", DEFAULT_PASSWORD, "PLAIN")
    assert (await c.bind("dt")) == "alice@imp.test/dt"
    await c.close()

    cl = await xc.login(impd_server, "alice", resource="dtls", direct_tls=True)
    assert cl.jid == "alice@imp.test/dtls"
    await cl.close()


async def test_direct_tls_alpn_xmpp_client(impd_server):
    """XEP-0368 clients may send ALPN 'xmpp-client'; the server must not refuse the handshake."""
    impd_server.add_user("alice")
    ctx = impd_server.ssl_context()
    ctx.set_alpn_protocols(["xmpp-client"])
    c = await RawXmpp.connect(*impd_server.direct_tls, direct_tls=True, ssl_ctx=ctx)
    await c.login("alice", DEFAULT_PASSWORD, resource="alpn")
    await c.close()


async def test_stanza_before_tls_refused(impd_server):
    c = await raw(impd_server)
    await c.open_stream()
    await c.send("<iq type='get' id='early1' to='imp.test'><query xmlns='jabber:iq:version'/></iq>")
    cond = await c.stream_error()
    assert cond in ("not-authorized", "policy-violation", "unsupported-stanza-type"), cond
    await c.expect_closed()
    assert "type='result'" not in c.received and 'type="result"' not in c.received


async def test_auth_before_tls_refused_when_required(impd_server):
    impd_server.add_user("alice")
    c = await raw(impd_server)
    await c.open_stream()
    await c.send(f"<auth xmlns='{NS_SASL}' mechanism='PLAIN'>AGFsaWNlAHMzY3JldC1Qdw==</auth>")
    el = await c.next_element(lambda e: e.tag in (q(NS_SASL, "success"), q(NS_SASL, "failure"),
                                                  q(NS_STREAM, "error")), what="an answer to <auth/>")
    assert el.tag != q(NS_SASL, "success"), "authenticated before TLS although tls = required"
    await c.close()


async def test_stanza_before_auth_refused(impd_server):
    c = await raw(impd_server)
    await c.open_stream()
    await c.starttls()
    await c.send("<message to='alice@imp.test' type='chat'><body>sneaky</body></message>")
    cond = await c.stream_error()
    assert cond in ("not-authorized", "policy-violation"), cond
    await c.expect_closed()


@pytest.mark.impd_config(c2s(tls="optional"))
async def test_optional_tls_plain_only_after_tls(impd_server):
    impd_server.add_user("alice")
    c = await raw(impd_server)
    features = await c.open_stream()
    starttls = features.find(q(NS_TLS, "starttls"))
    assert starttls is not None, "STARTTLS must still be offered"
    assert starttls.find(q(NS_TLS, "required")) is None, "tls = optional must not mark STARTTLS required"
    assert "PLAIN" not in c.mechanisms(), f"PLAIN offered in the clear: {c.mechanisms()}"

    # A client that tries PLAIN in the clear anyway is refused.
    await c.send(f"<auth xmlns='{NS_SASL}' mechanism='PLAIN'>AGFsaWNlAHMzY3JldC1Qdw==</auth>")
    el = await c.next_element(lambda e: e.tag in (q(NS_SASL, "success"), q(NS_SASL, "failure"),
                                                  q(NS_STREAM, "error")), what="an answer to <auth/>")
    assert el.tag != q(NS_SASL, "success"), "PLAIN accepted without TLS"
    await c.close()

    c = await raw(impd_server)
    await c.open_stream()
    await c.starttls()
    assert "PLAIN" in c.mechanisms()
    await c.authenticate("alice", DEFAULT_PASSWORD, "PLAIN")
    await c.bind("after-tls")
    await c.close()


@pytest.mark.impd_config(c2s(tls="optional"))
async def test_optional_tls_scram_in_the_clear(impd_server):
    impd_server.add_user("alice")
    c = await raw(impd_server)
    await c.open_stream()
    assert "SCRAM-SHA-256" in c.mechanisms(), c.mechanisms()
    await c.authenticate("alice", DEFAULT_PASSWORD, "SCRAM-SHA-256")
    assert (await c.bind("clear")) == "alice@imp.test/clear"
    assert not c.tls
    await c.close()


async def test_clean_close(impd_server):
    impd_server.add_user("alice")
    c = await raw(impd_server)
    await c.login("alice", DEFAULT_PASSWORD, resource="bye")
    await c.send("</stream:stream>")
    await c.read_until(r"</stream:stream>")
    await c.expect_closed()


@pytest.mark.impd_config({"tls": DELETE})
async def test_generated_certificate_is_kept(impd_server):
    """Without [tls] keys, impd makes a self-signed certificate in data_dir and reuses it."""
    srv = impd_server
    srv.add_user("alice")

    async def peer_cert() -> bytes:
        c = await RawXmpp.connect(*srv.c2s, ssl_ctx=srv.ssl_context())   # no verification here
        await c.login("alice", DEFAULT_PASSWORD, resource="gen")
        der = c.writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
        await c.close()
        return der

    first = await peer_cert()
    text = subprocess.run(["openssl", "x509", "-inform", "der", "-noout", "-text"], input=first,
                          capture_output=True, timeout=10).stdout.decode()
    assert "imp.test" in text, "the generated certificate should name the served domain"
    assert (srv.folder / "var").is_dir()

    srv.restart()
    assert await peer_cert() == first, "the generated certificate should be reused after a restart"


async def test_many_resources_one_user(impd_server):
    impd_server.add_user("alice")
    clients = []
    for i in range(5):
        c = await raw(impd_server)
        await c.login("alice", DEFAULT_PASSWORD, resource=f"r{i}")
        assert c.jid == f"alice@imp.test/r{i}"
        clients.append(c)
    await asyncio.gather(*(c.close() for c in clients))
