"""Rosters, subscriptions and presence (RFC 6121 sections 2-4, XEP-0237), with slixmpp clients."""

from __future__ import annotations

import pytest

import xmpp_client as xc
from xmpp_client import become_friends, login, roster_items, stype


async def roster_item(c: xc.Client, jid: str):
    res = await c.roster_get()
    assert stype(res) == "result", xc.dump(res)
    return roster_items(res).get(jid)


def sub_of(item) -> tuple[str, str | None]:
    return (item.get("subscription", "none"), item.get("ask"))


async def test_subscribe_and_approve_both_ways(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")

    # alice asks: her roster gets bob as none + ask, bob is asked
    alice.presence(to="bob@imp.test", type_="subscribe")
    item = await alice.expect_roster_push("bob@imp.test", lambda i: i.get("ask") == "subscribe")
    assert item.get("subscription", "none") == "none"
    req = await bob.expect_presence("alice@imp.test", "subscribe")
    assert xc.attr(req, "from") == "alice@imp.test", "a subscription request comes from the bare JID"

    # bob approves: bob's roster has alice 'from', alice's has bob 'to' and she sees bob online
    bob.presence(to="alice@imp.test", type_="subscribed")
    await bob.expect_roster_push("alice@imp.test", lambda i: i.get("subscription") == "from")
    await alice.expect_presence("bob@imp.test", "subscribed")
    item = await alice.expect_roster_push("bob@imp.test", lambda i: i.get("subscription") == "to")
    assert item.get("ask") is None
    await alice.expect_presence("bob@imp.test/b1", "available")

    # and the other way round
    bob.presence(to="alice@imp.test", type_="subscribe")
    await bob.expect_roster_push("alice@imp.test", lambda i: i.get("ask") == "subscribe")
    await alice.expect_presence("bob@imp.test", "subscribe")
    alice.presence(to="bob@imp.test", type_="subscribed")
    await alice.expect_roster_push("bob@imp.test", lambda i: i.get("subscription") == "both")
    await bob.expect_presence("alice@imp.test", "subscribed")
    await bob.expect_roster_push("alice@imp.test", lambda i: i.get("subscription") == "both")
    await bob.expect_presence("alice@imp.test/a1", "available")

    assert sub_of(await roster_item(alice, "bob@imp.test")) == ("both", None)
    assert sub_of(await roster_item(bob, "alice@imp.test")) == ("both", None)


async def test_presence_show_and_status_reach_contact(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(alice, bob)

    for show, text in (("away", "lunch"), ("dnd", "in a meeting"), ("xa", "on holiday"),
                       ("chat", "talk to me"), (None, "back at my desk")):
        alice.presence(show=show, status=text)
        p = await bob.expect_presence(alice.jid, "available", status_=text)
        assert xc.show(p) == show, xc.dump(p)
        # a user's own resources see their presence too
        await alice.expect_presence(alice.jid, "available", status_=text)


async def test_unicode_status_roundtrip(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(alice, bob)
    text = "Zürich — 東京 <&> \"quoted\" 🚀"
    alice.presence(show="away", status=text)
    await bob.expect_presence(alice.jid, "available", show_="away", status_=text)


async def test_two_resources_with_priorities(impd_server):
    impd_server.add_users("alice", "bob")
    a1 = await login(impd_server, "alice", resource="desk", priority=10)
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(a1, bob)

    a2 = await login(impd_server, "alice", resource="phone", priority=1, show_="away")
    p = await bob.expect_presence("alice@imp.test/phone", "available")
    assert xc.priority(p) == 1 and xc.show(p) == "away"
    # each resource learns about the other one
    p = await a1.expect_presence("alice@imp.test/phone", "available")
    assert xc.priority(p) == 1
    p = await a2.expect_presence("alice@imp.test/desk", "available")
    assert xc.priority(p) == 10
    # a2 also gets bob's presence (the server probes contacts for the new resource)
    await a2.expect_presence("bob@imp.test/b1", "available")

    a2.presence(priority=20, status="now preferred")
    p = await bob.expect_presence("alice@imp.test/phone", "available", status_="now preferred")
    assert xc.priority(p) == 20


@pytest.mark.parametrize("how", ["stream-close", "unavailable", "tcp-drop"])
async def test_contact_sees_unavailable(impd_server, how):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(alice, bob)
    bob.presences.clear()

    if how == "stream-close":
        await alice.close()
    elif how == "unavailable":
        alice.presence(type_="unavailable", status="gone fishing")
    else:
        alice.drop()
    p = await bob.expect_presence("alice@imp.test/a1", "unavailable", timeout=10)
    if how == "unavailable":
        assert xc.status(p) == "gone fishing"


async def test_subscription_request_stored_while_contact_offline(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    alice.presence(to="bob@imp.test", type_="subscribe")
    await alice.expect_roster_push("bob@imp.test", lambda i: i.get("ask") == "subscribe")
    await alice.close()   # both offline now: the request must wait in storage

    bob = await login(impd_server, "bob", resource="b1")
    await bob.expect_presence("alice@imp.test", "subscribe")
    bob.presence(to="alice@imp.test", type_="subscribed")
    await bob.expect_roster_push("alice@imp.test", lambda i: i.get("subscription") == "from")

    alice = await login(impd_server, "alice", resource="a2")
    assert sub_of(await roster_item(alice, "bob@imp.test")) == ("to", None)
    await alice.expect_presence("bob@imp.test/b1", "available")
    # the request was delivered once: logging in again brings no second copy
    bob2 = await login(impd_server, "bob", resource="b2")
    await bob2.expect_no_presence("alice@imp.test", "subscribe")


async def test_deny_subscription(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    res = await bob.roster_set("alice@imp.test", name="Alice")
    assert stype(res) == "result"

    alice.presence(to="bob@imp.test", type_="subscribe")
    await alice.expect_roster_push("bob@imp.test", lambda i: i.get("ask") == "subscribe")
    await bob.expect_presence("alice@imp.test", "subscribe")
    bob.presence(to="alice@imp.test", type_="unsubscribed")

    await alice.expect_presence("bob@imp.test", "unsubscribed")
    item = await alice.expect_roster_push("bob@imp.test", lambda i: i.get("ask") is None)
    assert item.get("subscription", "none") == "none"
    assert sub_of(await roster_item(alice, "bob@imp.test")) == ("none", None)
    bob_item = await roster_item(bob, "alice@imp.test")
    assert sub_of(bob_item) == ("none", None) and bob_item.get("name") == "Alice"

    alice.presences.clear()
    bob.presence(show="chat", status="you cannot see this")
    await alice.expect_no_presence("bob@imp.test", "available")


async def test_contact_cancels_subscription(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(alice, bob)

    bob.presence(to="alice@imp.test", type_="unsubscribed")      # bob cancels alice's subscription
    await alice.expect_presence("bob@imp.test", "unsubscribed")
    await alice.expect_roster_push("bob@imp.test", lambda i: i.get("subscription") == "from")
    # (unavailable from each of bob's resources; a server may send it from the bare JID instead)
    await alice.expect_presence("bob@imp.test", "unavailable")
    await bob.expect_roster_push("alice@imp.test", lambda i: i.get("subscription") == "to")
    assert sub_of(await roster_item(alice, "bob@imp.test")) == ("from", None)
    assert sub_of(await roster_item(bob, "alice@imp.test")) == ("to", None)

    # bob's presence no longer reaches alice; alice's still reaches bob
    alice.presences.clear()
    bob.presence(show="dnd", status="hidden from alice")
    alice.presence(show="away", status="visible to bob")
    await bob.expect_presence(alice.jid, "available", status_="visible to bob")
    await alice.expect_no_presence("bob@imp.test", "available")


async def test_user_unsubscribes(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(alice, bob)

    alice.presence(to="bob@imp.test", type_="unsubscribe")        # alice stops watching bob
    await alice.expect_roster_push("bob@imp.test", lambda i: i.get("subscription") == "from")
    await bob.expect_presence("alice@imp.test", "unsubscribe")
    await bob.expect_roster_push("alice@imp.test", lambda i: i.get("subscription") == "to")
    await alice.expect_presence("bob@imp.test", "unavailable")

    alice.presences.clear()
    bob.presence(status="alice does not watch")
    await alice.expect_no_presence("bob@imp.test", "available")


async def test_roster_remove_cancels_both_subscriptions(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(alice, bob)

    res = await alice.roster_remove("bob@imp.test")
    assert stype(res) == "result", xc.dump(res)
    await alice.expect_roster_push("bob@imp.test", lambda i: i.get("subscription") == "remove")
    await bob.expect_roster_push("alice@imp.test", lambda i: i.get("subscription", "none") == "none")
    await bob.expect_presence("alice@imp.test", "unavailable")
    assert await roster_item(alice, "bob@imp.test") is None
    assert sub_of(await roster_item(bob, "alice@imp.test")) == ("none", None)


async def test_roster_set_and_remove_push_to_all_resources(impd_server):
    impd_server.add_users("alice", "carol")
    r1 = await login(impd_server, "alice", resource="r1")
    r2 = await login(impd_server, "alice", resource="r2")

    res = await r1.roster_set("carol@imp.test", name="Carol", groups=["Friends", "Work"])
    assert stype(res) == "result", xc.dump(res)
    for r in (r1, r2):
        item = await r.expect_roster_push("carol@imp.test")
        assert item.get("name") == "Carol"
        groups = sorted(g.text for g in item.findall(xc.q(xc.NS_ROSTER, "group")))
        assert groups == ["Friends", "Work"]
        assert item.get("subscription", "none") == "none"

    item = await roster_item(r2, "carol@imp.test")
    assert item is not None and item.get("name") == "Carol"

    res = await r1.roster_set("carol@imp.test", name="Carol B.", groups=["Friends"])
    assert stype(res) == "result"
    for r in (r1, r2):
        item = await r.expect_roster_push("carol@imp.test", lambda i: i.get("name") == "Carol B.")
        assert [g.text for g in item.findall(xc.q(xc.NS_ROSTER, "group"))] == ["Friends"]

    res = await r2.roster_remove("carol@imp.test")
    assert stype(res) == "result"
    for r in (r1, r2):
        await r.expect_roster_push("carol@imp.test", lambda i: i.get("subscription") == "remove")
    assert await roster_item(r1, "carol@imp.test") is None


async def test_roster_set_ignores_client_subscription(impd_server):
    """A client may not set a subscription state (RFC 6121 2.1.2.5): anything but remove is ignored."""
    impd_server.add_users("alice", "carol")
    alice = await login(impd_server, "alice", resource="r1")
    res = await alice.roster_set("carol@imp.test", name="C", subscription="both")
    if stype(res) == "result":
        item = await alice.expect_roster_push("carol@imp.test")
        assert item.get("subscription", "none") == "none"
    else:
        assert xc.error_condition(res) == "bad-request", xc.dump(res)


async def test_roster_set_with_two_items_is_bad_request(impd_server):
    impd_server.add_users("alice")
    alice = await login(impd_server, "alice", resource="r1")
    res = await alice.iq("set", "<query xmlns='jabber:iq:roster'><item jid='x@imp.test'/>"
                                "<item jid='y@imp.test'/></query>")
    assert stype(res) == "error" and xc.error_condition(res) == "bad-request", xc.dump(res)


async def test_roster_versioning(impd_server):
    impd_server.add_users("alice", "carol")
    alice = await login(impd_server, "alice", resource="r1")
    assert "rosterver" in alice.features, f"XEP-0237 stream feature missing: {sorted(alice.features)}"

    res = await alice.roster_get(ver="")
    query = res.xml.find(xc.q(xc.NS_ROSTER, "query"))
    assert query is not None and query.get("ver"), f"a versioned roster result carries ver: {xc.dump(res)}"
    v1 = query.get("ver")

    res = await alice.roster_get(ver=v1)
    assert stype(res) == "result"
    assert len(res.xml) == 0, f"an up-to-date version gets an empty result: {xc.dump(res)}"

    await alice.roster_set("carol@imp.test", name="Carol")
    push = await alice.iqs.expect(lambda iq: "carol@imp.test" in roster_items(iq), what="roster push")
    v2 = push.xml.find(xc.q(xc.NS_ROSTER, "query")).get("ver")
    assert v2 and v2 != v1, f"a roster push carries the new version: {xc.dump(push)}"

    res = await alice.roster_get(ver=v2)
    assert len(res.xml) == 0, f"an up-to-date version gets an empty result: {xc.dump(res)}"

    # an old version gets either the whole roster or the missing pushes
    res = await alice.roster_get(ver=v1)
    query = res.xml.find(xc.q(xc.NS_ROSTER, "query"))
    if query is not None:
        assert "carol@imp.test" in roster_items(res) and query.get("ver") == v2, xc.dump(res)
    else:
        await alice.expect_roster_push("carol@imp.test")


async def test_roster_persists_across_logins(impd_server):
    impd_server.add_users("alice", "carol")
    alice = await login(impd_server, "alice", resource="r1")
    await alice.roster_set("carol@imp.test", name="Carol", groups=["G"])
    await alice.close()
    alice = await login(impd_server, "alice", resource="r2")
    item = await roster_item(alice, "carol@imp.test")
    assert item is not None and item.get("name") == "Carol"


async def test_presence_probe_at_login(impd_server):
    impd_server.add_users("alice", "bob")
    alice = await login(impd_server, "alice", resource="a1")
    bob = await login(impd_server, "bob", resource="b1")
    await become_friends(alice, bob)
    alice.presence(show="dnd", status="busy before bob returns")
    await bob.expect_presence(alice.jid, "available", status_="busy before bob returns")
    await bob.close()

    bob = await login(impd_server, "bob", resource="b2")
    await bob.expect_presence(alice.jid, "available", show_="dnd", status_="busy before bob returns")
    await alice.expect_presence("bob@imp.test/b2", "available")


async def test_directed_presence_and_its_unavailable(impd_server):
    impd_server.add_users("alice", "carol")
    alice = await login(impd_server, "alice", resource="a1")
    carol = await login(impd_server, "carol", resource="c1")

    alice.presence(to=carol.jid, show="chat", status="just for you")
    await carol.expect_presence(alice.jid, "available", show_="chat", status_="just for you")
    # a broadcast does not reach a non-contact
    carol.presences.clear()
    alice.presence(status="broadcast")
    await carol.expect_no_presence(alice.jid, "available")
    await alice.close()
    await carol.expect_presence(alice.jid, "unavailable")


async def test_no_presence_for_non_contacts(impd_server):
    impd_server.add_users("alice", "mallory")
    mallory = await login(impd_server, "mallory", resource="m1")
    alice = await login(impd_server, "alice", resource="a1")
    alice.presence(show="away", status="private")
    await mallory.expect_no_presence("alice@imp.test")
    # a probe from a non-contact gets nothing useful either
    mallory.presence(to="alice@imp.test", type_="probe")
    await mallory.expect_no_presence("alice@imp.test", "available")
