"""Blocking command (XEP-0191): a blocked contact sees the user as offline."""

from __future__ import annotations

import xmpp_client as xc
from xmpp_client import NS_BLOCKING, become_friends, body, error_condition, login, stype


def block_xml(*jids: str, verb: str = "block") -> str:
    items = "".join(f"<item jid='{j}'/>" for j in jids)
    return f"<{verb} xmlns='{NS_BLOCKING}'>{items}</{verb}>"


def push_items(iq, verb: str) -> list[str] | None:
    el = iq.xml.find(xc.q(NS_BLOCKING, verb))
    if el is None:
        return None
    return [i.get("jid") for i in el.findall(xc.q(NS_BLOCKING, "item"))]


async def blocklist(c: xc.Client) -> list[str]:
    res = await c.iq("get", f"<blocklist xmlns='{NS_BLOCKING}'/>")
    assert stype(res) == "result", xc.dump(res)
    el = res.xml.find(xc.q(NS_BLOCKING, "blocklist"))
    assert el is not None, xc.dump(res)
    return sorted(i.get("jid") for i in el.findall(xc.q(NS_BLOCKING, "item")))


async def expect_push(c: xc.Client, verb: str, jids: list[str]):
    def match(iq) -> bool:
        items = push_items(iq, verb)
        return stype(iq) == "set" and items is not None and sorted(items) == sorted(jids)
    return await c.iqs.expect(match, what=f"blocklist push <{verb}/> {jids}")


async def test_block_hides_user_from_contact(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(alice, bob)
    assert await blocklist(alice) == []

    res = await alice.iq("set", block_xml("bob@imp.test"))
    assert stype(res) == "result", xc.dump(res)
    await bob.expect_presence(alice.jid, "unavailable")

    # bob's messages bounce as if alice did not exist
    bob.message("alice@imp.test", "can you hear me?", id="blk-1")
    err = await bob.expect_message(lambda m: stype(m) == "error" and xc.attr(m, "id") == "blk-1")
    assert error_condition(err) == "service-unavailable", xc.dump(err)
    bob.message(alice.jid, "full jid?", id="blk-2")
    err = await bob.expect_message(lambda m: stype(m) == "error" and xc.attr(m, "id") == "blk-2")
    assert error_condition(err) == "service-unavailable", xc.dump(err)
    await alice.messages.expect_none(lambda m: body(m) in ("can you hear me?", "full jid?"), within=0.5)

    # alice's presence changes do not leak; bob's probe is answered as if alice were offline
    bob.presences.clear()
    alice.presence(show="chat", status="bob must not see this")
    bob.presence(to="alice@imp.test", type_="probe")
    await bob.expect_no_presence(alice.jid, "available")
    await bob.expect_no_presence("alice@imp.test", "available", within=0.2)

    # a blocked contact's iq gets an error as well, not alice's answer
    res = await bob.iq("get", "<ping xmlns='urn:xmpp:ping'/>", to=alice.jid)
    assert stype(res) == "error" and error_condition(res) == "service-unavailable", xc.dump(res)


async def test_user_cannot_send_to_blocked_contact(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await alice.iq("set", block_xml("bob@imp.test"))
    alice.message(bob.jid, "I blocked you", id="out-1")
    err = await alice.expect_message(lambda m: stype(m) == "error" and xc.attr(m, "id") == "out-1")
    assert error_condition(err) == "not-acceptable", xc.dump(err)
    assert err.xml.find(f"{xc.q(xc.NS_CLIENT, 'error')}/{xc.q('urn:xmpp:blocking:errors', 'blocked')}") is not None, \
        xc.dump(err)
    await bob.messages.expect_none(lambda m: body(m) == "I blocked you", within=0.5)


async def test_unblock_restores_presence_and_messages(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(alice, bob)
    await alice.iq("set", block_xml("bob@imp.test"))
    await bob.expect_presence(alice.jid, "unavailable")
    alice.presence(show="away", status="while blocked")

    res = await alice.iq("set", block_xml("bob@imp.test", verb="unblock"))
    assert stype(res) == "result", xc.dump(res)
    p = await bob.expect_presence(alice.jid, "available")
    assert xc.show(p) == "away" and xc.status(p) == "while blocked", xc.dump(p)
    await xc.chat_roundtrip(alice, bob, "after unblock")


async def test_offline_messages_from_blocked_contact_are_refused(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    await alice.iq("set", block_xml("bob@imp.test"))
    await alice.close()
    bob = await login(impd_server, "bob", resource="b1")
    bob.message("alice@imp.test", "store this?", id="off-1")
    err = await bob.expect_message(lambda m: stype(m) == "error" and xc.attr(m, "id") == "off-1")
    assert error_condition(err) == "service-unavailable", xc.dump(err)
    alice = await login(impd_server, "alice", resource="a2")
    await alice.messages.expect_none(lambda m: body(m) == "store this?", within=1.0)


async def test_blocklist_pushes_to_all_resources(impd_server):
    impd_server.add_users("alice", "bob", "carol")
    r1 = await login(impd_server, "alice", resource="r1")
    r2 = await login(impd_server, "alice", resource="r2")
    assert await blocklist(r1) == []
    assert await blocklist(r2) == []

    res = await r1.iq("set", block_xml("bob@imp.test", "carol@imp.test"))
    assert stype(res) == "result", xc.dump(res)
    for r in (r1, r2):
        await expect_push(r, "block", ["bob@imp.test", "carol@imp.test"])
    assert await blocklist(r2) == ["bob@imp.test", "carol@imp.test"]

    res = await r2.iq("set", block_xml("carol@imp.test", verb="unblock"))
    assert stype(res) == "result", xc.dump(res)
    for r in (r1, r2):
        await expect_push(r, "unblock", ["carol@imp.test"])
    assert await blocklist(r1) == ["bob@imp.test"]

    # an empty <unblock/> clears the list
    res = await r1.iq("set", block_xml(verb="unblock"))
    assert stype(res) == "result", xc.dump(res)
    for r in (r1, r2):
        await expect_push(r, "unblock", [])
    assert await blocklist(r2) == []


async def test_block_persists_and_bad_requests(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    await alice.iq("set", block_xml("bob@imp.test"))
    await alice.close()
    alice = await login(impd_server, "alice", resource="a2")
    assert await blocklist(alice) == ["bob@imp.test"]

    # <block/> without items is a bad request (XEP-0191 3.3)
    res = await alice.iq("set", block_xml())
    assert stype(res) == "error" and error_condition(res) == "bad-request", xc.dump(res)
    # an invalid JID is refused
    res = await alice.iq("set", block_xml("not a@valid@jid"))
    assert stype(res) == "error" and error_condition(res) in ("jid-malformed", "bad-request"), xc.dump(res)
