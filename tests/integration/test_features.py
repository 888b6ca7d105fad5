"""Service discovery, ping, version, stream management (XEP-0030, 0199, 0092, 0198) and shutdown."""

from __future__ import annotations

import asyncio

import pytest

import xmpp_client as xc
from impd_harness import DEFAULT_PASSWORD, c2s
from raw_xmpp import NS_SM, RawXmpp, body_of, q, stanza_error_condition
from xmpp_client import error_condition, login, stype

NS_DISCO_INFO = "http://jabber.org/protocol/disco#info"
NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items"


async def test_disco_info_on_server(impd_server):
    impd_server.add_users("alice")
    alice = await login(impd_server, "alice", resource="a1")
    res = await alice.iq("get", f"<query xmlns='{NS_DISCO_INFO}'/>", to="imp.test")
    assert stype(res) == "result", xc.dump(res)
    query = res.xml.find(q(NS_DISCO_INFO, "query"))
    identities = [(i.get("category"), i.get("type")) for i in query.findall(q(NS_DISCO_INFO, "identity"))]
    assert ("server", "im") in identities, identities
    features = {f.get("var") for f in query.findall(q(NS_DISCO_INFO, "feature"))}
    for var in (NS_DISCO_INFO, NS_DISCO_ITEMS, "urn:xmpp:ping", "urn:xmpp:blocking", "jabber:iq:version"):
        assert var in features, f"{var} missing from {sorted(features)}"
    # roster versioning and stream management are stream features (XEP-0237, XEP-0198), tested below
    assert "rosterver" in alice.features, sorted(alice.features)


async def test_stream_features_after_auth_offer_sm_and_rosterver(impd_server):
    impd_server.add_users("alice")
    c = await RawXmpp.connect(*impd_server.c2s, ssl_ctx=impd_server.ssl_context())
    await c.open_stream()
    await c.starttls()
    features = await c.authenticate("alice", DEFAULT_PASSWORD, "PLAIN")
    assert features.find(q(NS_SM, "sm")) is not None, xc.dump(features)
    assert features.find(q("urn:xmpp:features:rosterver", "ver")) is not None, xc.dump(features)
    await c.close()


async def test_disco_items_and_account_info(impd_server):
    impd_server.add_users("alice")
    alice = await login(impd_server, "alice", resource="a1")
    res = await alice.iq("get", f"<query xmlns='{NS_DISCO_ITEMS}'/>", to="imp.test")
    assert stype(res) == "result", xc.dump(res)
    assert res.xml.find(q(NS_DISCO_ITEMS, "query")) is not None
    # the server answers disco#info for its own accounts' bare JIDs
    res = await alice.iq("get", f"<query xmlns='{NS_DISCO_INFO}'/>", to="alice@imp.test")
    assert stype(res) == "result", xc.dump(res)
    idents = [(i.get("category"), i.get("type"))
              for i in res.xml.find(q(NS_DISCO_INFO, "query")).findall(q(NS_DISCO_INFO, "identity"))]
    assert ("account", "registered") in idents, idents


async def test_ping(impd_server):
    impd_server.add_users("alice")
    alice = await login(impd_server, "alice", resource="a1")
    for to in ("imp.test", None):
        res = await alice.iq("get", "<ping xmlns='urn:xmpp:ping'/>", to=to)
        assert stype(res) == "result", xc.dump(res)
        assert len(res.xml) == 0, xc.dump(res)


async def test_version(impd_server):
    impd_server.add_users("alice")
    alice = await login(impd_server, "alice", resource="a1")
    res = await alice.iq("get", "<query xmlns='jabber:iq:version'/>", to="imp.test")
    assert stype(res) == "result", xc.dump(res)
    query = res.xml.find(q("jabber:iq:version", "query"))
    name = query.find(q("jabber:iq:version", "name"))
    version = query.find(q("jabber:iq:version", "version"))
    assert name is not None and (name.text or "").strip(), xc.dump(res)
    assert version is not None and (version.text or "").strip(), xc.dump(res)


async def test_unknown_iq_gets_error(impd_server):
    impd_server.add_users("alice")
    alice = await login(impd_server, "alice", resource="a1")
    res = await alice.iq("get", "<query xmlns='urn:example:no-such-thing'/>", to="imp.test")
    assert stype(res) == "error", xc.dump(res)
    assert error_condition(res) in ("service-unavailable", "feature-not-implemented"), xc.dump(res)
    res = await alice.iq("set", "<query xmlns='urn:example:no-such-thing'/>")
    assert stype(res) == "error", xc.dump(res)


async def test_iq_between_users(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    # bob's client answers pings itself: the server routes the iq to the full JID and back
    res = await alice.iq("get", "<ping xmlns='urn:xmpp:ping'/>", to=bob.jid)
    assert stype(res) == "result" and xc.attr(res, "from") == bob.jid, xc.dump(res)
    got = await bob.iqs.expect(lambda iq: xc.attr(iq, "from") == alice.jid)
    assert stype(got) == "get"


# --- stream management (XEP-0198), at the protocol level ----------------------------------------

async def sm_client(srv, user: str, resource: str) -> tuple[RawXmpp, str]:
    c = await RawXmpp.connect(*srv.c2s, ssl_ctx=srv.ssl_context())
    features = await c.login(user, DEFAULT_PASSWORD, resource=resource)
    assert features.find(q(NS_SM, "sm")) is not None, "XEP-0198 not offered after auth"
    await c.send(f"<enable xmlns='{NS_SM}' resume='true'/>")
    enabled = await c.next_element(lambda e: e.tag in (q(NS_SM, "enabled"), q(NS_SM, "failed")),
                                   what="<enabled/>")
    assert enabled.tag == q(NS_SM, "enabled"), xc.dump(enabled)
    assert enabled.get("resume") in ("true", "1"), f"resumption not granted: {xc.dump(enabled)}"
    assert enabled.get("id"), xc.dump(enabled)
    return c, enabled.get("id")


async def resume(srv, previd: str, h: int) -> tuple[RawXmpp, object]:
    c = await RawXmpp.connect(*srv.c2s, ssl_ctx=srv.ssl_context())
    c.sm_inbound = h          # our count goes on from the old stream's
    await c.open_stream()
    await c.starttls()
    await c.authenticate("alice", DEFAULT_PASSWORD, "PLAIN")
    await c.send(f"<resume xmlns='{NS_SM}' previd='{previd}' h='{h}'/>")
    el = await c.next_element(lambda e: e.tag in (q(NS_SM, "resumed"), q(NS_SM, "failed")),
                              what="<resumed/> or <failed/>")
    return c, el


async def test_sm_enable_and_ack(impd_server):
    impd_server.add_users("alice")
    c, _ = await sm_client(impd_server, "alice", "sm")
    assert await c.ack_request() == 0
    await c.presence()
    await c.iq("get", "<ping xmlns='urn:xmpp:ping'/>", to="imp.test")
    await c.message("alice@imp.test/nowhere-resource", "to myself", type_="headline")
    assert await c.ack_request() == 3
    # the server asks for acks too; our auto-answer keeps it satisfied; a direct <a/> is fine
    await c.send(f"<a xmlns='{NS_SM}' h='{c.sm_inbound}'/>")
    assert await c.ack_request() == 3
    await c.close()


async def test_sm_resume_after_tcp_drop_keeps_messages(impd_server):
    impd_server.add_users("alice", "bob")
    bob = await login(impd_server, "bob", resource="b1")
    c, sm_id = await sm_client(impd_server, "alice", "sm")
    await c.presence(priority=5)
    await c.message(bob.jid, "before the drop")
    await bob.expect_message(frm="alice@imp.test/sm", body_="before the drop")
    await c.stanza("presence", what="own presence")   # so our h counts everything received so far
    h_before = await c.ack_request()
    assert h_before == 2
    handled = c.sm_inbound
    c.abort()
    await asyncio.sleep(0.3)

    bob.message("alice@imp.test/sm", "sent while you were cut off #1")
    bob.message("alice@imp.test/sm", "sent while you were cut off #2")
    await bob.messages.expect_none(lambda m: stype(m) == "error", within=0.5)

    c2, el = await resume(impd_server, sm_id, handled)
    assert el.tag == q(NS_SM, "resumed"), xc.dump(el)
    assert el.get("previd") == sm_id
    assert int(el.get("h")) == h_before, "the server acknowledges everything we sent before the drop"
    got = []
    for _ in range(2):
        m = await c2.stanza("message", lambda e: body_of(e) is not None and "cut off" in body_of(e))
        got.append(body_of(m))
    assert got == ["sent while you were cut off #1", "sent while you were cut off #2"]
    await c2.message(bob.jid, "back again")
    await bob.expect_message(frm="alice@imp.test/sm", body_="back again")
    await c2.close()


async def test_sm_session_keeps_broadcast_presence_for_resending(impd_server):
    # A contact's status change reaches a stream-management session as a stanza the session
    # keeps until acknowledged (not only as bytes prepared for the whole broadcast), and one
    # made while the session waits to be resumed is queued and handed over on resumption.
    impd_server.add_users("alice", "bob")
    bob = await login(impd_server, "bob", resource="b1")
    alice_sl = await login(impd_server, "alice", resource="helper")
    await xc.become_friends(alice_sl, bob)
    c, sm_id = await sm_client(impd_server, "alice", "sm")
    await c.presence()
    await c.stanza("presence", lambda e: e.get("from") == "bob@imp.test/b1", what="bob's presence")

    def bobs(show):
        def match(e):
            el = e.find(q("jabber:client", "show"))
            return e.get("from") == "bob@imp.test/b1" and el is not None and el.text == show
        return match

    acked = c.sm_inbound       # what we will say we handled: not bob's next change
    bob.presence(show="away", status="coffee")
    away = await c.stanza("presence", bobs("away"), what="bob going away")
    assert away.get("to") == "alice@imp.test", xc.dump(away)
    c.abort()
    await asyncio.sleep(0.3)

    bob.presence(show="dnd", status="meeting")
    await asyncio.sleep(0.3)
    c2, el = await resume(impd_server, sm_id, acked)
    assert el.tag == q(NS_SM, "resumed"), xc.dump(el)
    await c2.stanza("presence", bobs("away"), what="the unacknowledged 'away' sent again")
    dnd = await c2.stanza("presence", bobs("dnd"), what="bob's status change made while cut off")
    assert dnd.get("to") == "alice@imp.test", xc.dump(dnd)
    await c2.close()


async def test_sm_resume_unknown_id_fails(impd_server):
    impd_server.add_users("alice")
    c, el = await resume(impd_server, "no-such-session-id", 0)
    assert el.tag == q(NS_SM, "failed"), xc.dump(el)
    assert el.find(q("urn:ietf:params:xml:ns:xmpp-stanzas", "item-not-found")) is not None, xc.dump(el)
    # a fresh bind still works on the same stream
    assert (await c.bind("fresh")) == "alice@imp.test/fresh"
    await c.close()


@pytest.mark.impd_config(c2s(sm_resume_timeout=2))
async def test_sm_session_expires_after_resume_timeout(impd_server):
    impd_server.add_users("alice", "bob")
    bob = await login(impd_server, "bob", resource="b1")
    c, sm_id = await sm_client(impd_server, "alice", "sm")
    alice_sl = await login(impd_server, "alice", resource="helper")
    await xc.become_friends(alice_sl, bob)
    await c.presence()
    await bob.expect_presence("alice@imp.test/sm", "available")
    c.abort()
    # after the resumption window the contact learns the resource is gone
    await bob.expect_presence("alice@imp.test/sm", "unavailable", timeout=10)
    c2, el = await resume(impd_server, sm_id, c.sm_inbound)
    assert el.tag == q(NS_SM, "failed"), xc.dump(el)
    await c2.close()


async def test_stanza_error_from_sm_session_counts(impd_server):
    """An error reply to a message sent on an SM stream is delivered and counted like any stanza."""
    impd_server.add_users("alice")
    c, _ = await sm_client(impd_server, "alice", "sm")
    await c.message("nobody@imp.test", "bounce me")
    err = await c.stanza("message", lambda e: e.get("type") == "error")
    assert stanza_error_condition(err) == "service-unavailable"
    assert c.sm_inbound >= 1
    await c.close()


# --- shutdown -----------------------------------------------------------------------------------

async def test_sigterm_closes_streams_and_exits_0(impd_server):
    impd_server.add_users("alice")
    c = await RawXmpp.connect(*impd_server.c2s, ssl_ctx=impd_server.ssl_context())
    await c.login("alice", DEFAULT_PASSWORD, resource="drain")
    await c.presence()
    loop = asyncio.get_running_loop()
    stop = loop.run_in_executor(None, impd_server.stop)
    await c.read_until(r"</stream:stream>", timeout=10)
    await c.expect_closed(timeout=10)
    rc = await stop
    assert rc == 0, impd_server.log_tail()


async def test_quiet_stream_releases_parser_after_every_quiet_spell(impd_server):
    """A bound stream gives back its XML parser after a second without input, and does so again
    after each later burst: idle sessions of a large deployment must not keep parsers."""
    impd_server.add_users("alice")
    c = await RawXmpp.connect(*impd_server.c2s, ssl_ctx=impd_server.ssl_context())
    await c.login("alice", DEFAULT_PASSWORD, resource="quiet")
    released = f"{c.writer.get_extra_info('sockname')[0]}: quiet, parser released"  # the only client

    async def wait_released(times: int) -> None:
        for _ in range(60):
            if impd_server.log().count(released) >= times:
                return
            await asyncio.sleep(0.1)
        assert impd_server.log().count(released) >= times, impd_server.log_tail(3000)

    await wait_released(1)
    for n in (2, 3):
        await c.send("<iq type='get' id='p%d'><ping xmlns='urn:xmpp:ping'/></iq>" % n)
        await c.read_until(f"id=['\"]p{n}['\"]")
        await wait_released(n)
    await c.close()
