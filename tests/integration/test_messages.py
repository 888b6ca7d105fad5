"""Message routing (RFC 6121 section 8) and offline storage (XEP-0160 with XEP-0203 delay)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

import xmpp_client as xc
from xmpp_client import body, error_condition, login, stype


def parse_stamp(stamp: str) -> dt.datetime:
    s = stamp.replace("Z", "+00:00")
    if "." in s:                       # fractions of a second, any number of digits
        head, rest = s.split(".", 1)
        digits = "".join(ch for ch in rest if ch.isdigit())
        s = head + "." + digits[:6].ljust(6, "0") + rest[len(digits):]
    return dt.datetime.fromisoformat(s)


async def test_chat_between_full_jids(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    alice.message(bob.jid, "hello bob", id="m-1")
    m = await bob.expect_message(frm=alice.jid, body_="hello bob", type_="chat")
    assert xc.attr(m, "to") == bob.jid
    assert xc.attr(m, "id") == "m-1", "the server keeps the stanza id"
    bob.message(alice.jid, "hi alice")
    await alice.expect_message(frm=bob.jid, body_="hi alice", type_="chat")


async def test_messages_between_strangers_do_not_need_a_subscription(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    alice.message("bob@imp.test", "no roster needed", type_="normal")
    m = await bob.expect_message(frm=alice.jid, body_="no roster needed")
    assert stype(m, "normal") == "normal"


async def test_message_order_and_payload_preserved(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    texts = [f"#{i} <tag> & 'quote' — ünïcödé 🙂" for i in range(20)]
    for t in texts:
        alice.message(bob.jid, t)
    got = [body(await bob.expect_message(frm=alice.jid)) for _ in texts]
    assert got == texts


async def test_bare_jid_goes_to_highest_priority(impd_server):
    impd_server.add_users("alice", "bob")
    high = await login(impd_server, "alice", resource="high", priority=10)
    low = await login(impd_server, "alice", resource="low", priority=1)
    neg = await login(impd_server, "alice", resource="neg", priority=-1)
    bob = await login(impd_server, "bob", resource="b1")

    bob.message("alice@imp.test", "to the best resource")
    await high.expect_message(frm=bob.jid, body_="to the best resource")
    await low.messages.expect_none(lambda m: body(m) == "to the best resource")
    await neg.messages.expect_none(lambda m: body(m) == "to the best resource", within=0.2)

    # the order changes with the priorities
    low.presence(priority=50)
    await low.expect_presence(low.jid, "available", pred=lambda p: xc.priority(p) == 50)
    bob.message("alice@imp.test", "now to low")
    await low.expect_message(frm=bob.jid, body_="now to low")
    await high.messages.expect_none(lambda m: body(m) == "now to low")


async def test_full_jid_reaches_only_that_resource(impd_server):
    impd_server.add_users("alice", "bob")
    high = await login(impd_server, "alice", resource="high", priority=10)
    low = await login(impd_server, "alice", resource="low", priority=1)
    bob = await login(impd_server, "bob", resource="b1")
    bob.message("alice@imp.test/low", "only for low")
    await low.expect_message(frm=bob.jid, body_="only for low")
    await high.messages.expect_none(lambda m: body(m) == "only for low")


async def test_chat_to_unavailable_resource_goes_to_bare(impd_server):
    """RFC 6121 8.5.3.2.1: a chat to a full JID with no such resource is treated as to the bare JID."""
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="here")
    bob = await login(impd_server, "bob", resource="b1")
    bob.message("alice@imp.test/gone", "resource is gone")
    m = await alice.expect_message(frm=bob.jid, body_="resource is gone")
    assert xc.attr(m, "to") in ("alice@imp.test/gone", "alice@imp.test/here", "alice@imp.test")


async def test_headline_to_bare_reaches_all_resources(impd_server):
    impd_server.add_users("alice", "bob")
    r1 = await login(impd_server, "alice", resource="r1", priority=5)
    r2 = await login(impd_server, "alice", resource="r2", priority=0)
    bob = await login(impd_server, "bob", resource="b1")
    bob.message("alice@imp.test", "news flash", type_="headline")
    await r1.expect_message(frm=bob.jid, body_="news flash", type_="headline")
    await r2.expect_message(frm=bob.jid, body_="news flash", type_="headline")


async def test_offline_messages_delivered_with_delay(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    before = dt.datetime.now(dt.timezone.utc)
    texts = ["while you were out #1", "while you were out #2", "while you were out #3"]
    alice.message("bob@imp.test", texts[0])
    alice.message("bob@imp.test", texts[1], type_="normal")
    alice.message("bob@imp.test/some-resource", texts[2])   # chat to an offline full JID: stored too
    await alice.iq("get", "<ping xmlns='urn:xmpp:ping'/>", to="imp.test")

    # logging in without presence does not flush the store
    bob = await login(impd_server, "bob", resource="b1", presence=False)
    await bob.messages.expect_none(lambda m: body(m) in texts, within=1.0)
    bob.presence()
    got = []
    for _ in texts:
        m = await bob.expect_message(frm="alice@imp.test")
        got.append(body(m))
        d = xc.delay(m)
        assert d is not None, f"an offline message carries a XEP-0203 delay: {xc.dump(m)}"
        stamp = parse_stamp(d.get("stamp"))
        assert stamp.tzinfo is not None
        assert before - dt.timedelta(seconds=5) <= stamp <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5)
        assert d.get("from") in (None, "imp.test", "alice@imp.test", alice.jid), xc.dump(m)
    assert got == texts, "offline messages keep their order"

    # delivered once only
    await bob.close()
    bob = await login(impd_server, "bob", resource="b2")
    await bob.messages.expect_none(lambda m: body(m) in texts, within=1.0)


async def test_offline_message_with_negative_priority_waits(impd_server):
    """XEP-0160: offline messages are not pushed to a resource with negative priority."""
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    alice.message("bob@imp.test", "wait for a real resource")
    bob_neg = await login(impd_server, "bob", resource="neg", priority=-5)
    await bob_neg.messages.expect_none(lambda m: body(m) == "wait for a real resource", within=1.0)
    bob = await login(impd_server, "bob", resource="pos", priority=1)
    m = await bob.expect_message(body_="wait for a real resource")
    assert xc.delay(m) is not None


async def test_message_to_nonexistent_user_gets_service_unavailable(impd_server):
    impd_server.add_users("alice")
    alice = await login(impd_server, "alice", resource="a1")
    alice.message("nobody@imp.test", "anyone there?", id="ghost-1")
    err = await alice.expect_message(lambda m: stype(m) == "error", frm="nobody@imp.test")
    assert xc.attr(err, "id") == "ghost-1"
    assert error_condition(err) == "service-unavailable", xc.dump(err)

    alice.message("nobody@imp.test/res", "full jid too", id="ghost-2")
    err = await alice.expect_message(lambda m: stype(m) == "error" and xc.attr(m, "id") == "ghost-2")
    assert error_condition(err) == "service-unavailable", xc.dump(err)


async def test_iq_to_nonexistent_user_gets_service_unavailable(impd_server):
    impd_server.add_users("alice")
    alice = await login(impd_server, "alice", resource="a1")
    res = await alice.iq("get", "<query xmlns='jabber:iq:version'/>", to="nobody@imp.test/x")
    assert stype(res) == "error" and error_condition(res) == "service-unavailable", xc.dump(res)


async def test_headline_to_offline_user_is_dropped(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    alice.message("bob@imp.test", "stale news", type_="headline")
    alice.message("bob@imp.test", "real chat")
    await alice.messages.expect_none(lambda m: stype(m) == "error", within=0.5)
    bob = await login(impd_server, "bob", resource="b1")
    await bob.expect_message(body_="real chat")
    await bob.messages.expect_none(lambda m: body(m) == "stale news", within=1.0)


async def test_groupchat_to_offline_user_not_stored(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    alice.message("bob@imp.test", "groupchat noise", type_="groupchat")
    alice.message("bob@imp.test", "real chat")
    bob = await login(impd_server, "bob", resource="b1")
    await bob.expect_message(body_="real chat")
    await bob.messages.expect_none(lambda m: body(m) == "groupchat noise", within=1.0)


@pytest.mark.impd_config({"xmpp": {"c2s": {"offline_limit": 3}}})
async def test_offline_limit(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    for i in range(5):
        alice.message("bob@imp.test", f"queued {i}", id=f"q{i}")
    # the messages over the limit bounce (RFC 6121 8.5.2.1.1 / XEP-0160: service-unavailable)
    errs = [await alice.expect_message(lambda m: stype(m) == "error") for _ in range(2)]
    assert all(error_condition(e) in ("service-unavailable", "resource-constraint") for e in errs), \
        [xc.dump(e) for e in errs]
    bob = await login(impd_server, "bob", resource="b1")
    got = [body(await bob.expect_message(frm="alice@imp.test")) for _ in range(3)]
    assert got == ["queued 0", "queued 1", "queued 2"]
    await bob.messages.expect_none(lambda m: body(m) in ("queued 3", "queued 4"), within=1.0)


async def test_forged_from_is_never_delivered(impd_server):
    """RFC 6120 8.1.2.1: a forged from is either replaced by the sender's JID or closes the stream."""
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    m = alice.make_message(mto=bob.jid, mbody="forged", mtype="chat")
    m.xml.set("from", "mallory@imp.test/evil")
    m.send()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while loop.time() < deadline:
        got = bob.messages.take(lambda x: body(x) == "forged")
        if got is not None:
            assert xc.attr(got, "from") == alice.jid, xc.dump(got)
            return
        if any("invalid-from" in e for e in alice.errors):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"neither delivered with the true sender nor refused with invalid-from: {alice.errors}")


async def test_chat_across_several_resources(impd_server):
    impd_server.add_users("alice", "bob")
    a = [await login(impd_server, "alice", resource=f"a{i}", priority=i) for i in range(3)]
    b = [await login(impd_server, "bob", resource=f"b{i}", priority=i) for i in range(3)]
    for x in a:
        for y in b:
            x.message(y.jid, f"{x.jid}->{y.jid}")
    for y in b:
        got = sorted([body(await y.expect_message(frm="alice@imp.test")) for _ in a])
        assert got == sorted(f"{x.jid}->{y.jid}" for x in a)
