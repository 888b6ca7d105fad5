"""Presence authorization and blocking levels (the seed's "Presence Subscriptions and Blocking
Levels"), with a real Prosody (prosody.test) as the federated domain and slixmpp users.

One policy per user is read and written three ways — the XEP-0191 blocking command, XEP-0016
privacy lists and the admin HTTP API (GET/PUT /api/users/{jid}/privacy) — and decides what a
subscription request from a federated watcher gets: block entries (polite: the watcher sees the
user offline), allow entries (approved without asking), else the user's default (ask, allow or
block); a user's "no" to a request is remembered.
"""

from __future__ import annotations

import asyncio
import base64
import json
import urllib.error
import urllib.request
from typing import Any, Optional

import pytest

import impd_harness
import prosody_peer
from impd_federation import IMPD, WAIT, start_impd, wait_for_log
import xmpp_client
from xmpp_client import stype

federation = prosody_peer.federation  # the fixture, made visible to this module

PROSODY = "prosody.test"
NS_PRIVACY = "jabber:iq:privacy"
NS_BLOCKING = "urn:xmpp:blocking"


def api(impd: Any, method: str, user: str, body: Optional[dict] = None, *,
        login: Optional[str] = None, password: str = impd_harness.DEFAULT_PASSWORD,
        path: Optional[str] = None) -> tuple[int, dict, dict]:
    """One admin API call; returns (status, JSON body, headers)."""
    url = f"http://{impd.host}:{impd.admin_port}" + (path or f"/api/users/{user}/privacy")
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if login is not None:
        token = base64.b64encode(f"{login}:{password}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=WAIT) as res:
            return res.status, json.loads(res.read() or b"{}"), dict(res.headers)
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, json.loads(raw) if raw else {}, dict(e.headers)


async def call(impd: Any, *args: Any, **kw: Any) -> tuple[int, dict, dict]:
    return await asyncio.to_thread(api, impd, *args, **kw)


def entry(jid: str, action: str = "block", scope: str = "all") -> dict:
    return {"jid": jid, "action": action, "scope": scope}


async def test_admin_api_reads_and_writes_the_same_policy_as_the_clients(impd_factory):
    impd = impd_factory({"server": {"domains": [IMPD]}, "admin": {"admins": [f"root@{IMPD}"]}})
    impd.add_users("alice", "bob", "root")
    alice_jid = f"alice@{IMPD}"
    status, body, _ = await call(impd, "GET", alice_jid, login=alice_jid)
    assert status == 200, body
    assert body == {"jid": alice_jid, "federated_default": "ask", "list_name": "policy", "entries": []}

    alice = await xmpp_client.login(impd, "alice")
    policy = {"federated_default": "block",
              "entries": [entry("spam.test"), entry(f"eve@{PROSODY}", scope="presence"),
                          entry(f"boss@{PROSODY}", "allow")]}
    status, body, _ = await call(impd, "PUT", alice_jid, policy, login=alice_jid)
    assert status == 200, body
    assert body["federated_default"] == "block" and len(body["entries"]) == 3

    # The client learns about it through both protocols' pushes, and reads the same entries.
    push = await alice.iqs.expect(lambda iq: stype(iq) == "set" and "spam.test" in xmpp_client.dump(iq),
                                  WAIT, "blocklist push")
    assert NS_BLOCKING in xmpp_client.dump(push)
    blocklist = await alice.iq("get", f"<blocklist xmlns='{NS_BLOCKING}'/>")
    assert stype(blocklist) == "result" and "spam.test" in xmpp_client.dump(blocklist)
    assert f"eve@{PROSODY}" not in xmpp_client.dump(blocklist), "presence-only blocks are not XEP-0191 blocks"
    names = await alice.iq("get", f"<query xmlns='{NS_PRIVACY}'/>")
    assert "name=\"policy\"" in xmpp_client.dump(names) or "name='policy'" in xmpp_client.dump(names)
    listed = await alice.iq("get", f"<query xmlns='{NS_PRIVACY}'><list name='policy'/></query>")
    text = xmpp_client.dump(listed)
    assert stype(listed) == "result" and "presence-out" in text and f"boss@{PROSODY}" in text, text

    # XEP-0016 writes the same store the API reads.
    new_list = (f"<query xmlns='{NS_PRIVACY}'><list name='mine'>"
                f"<item type='jid' value='troll.test' action='deny' order='1'/>"
                f"<item type='jid' value='friend@{PROSODY}' action='allow' order='2'/>"
                f"<item action='allow' order='3'/></list></query>")
    res = await alice.iq("set", new_list)
    assert stype(res) == "result", xmpp_client.dump(res)
    status, body, _ = await call(impd, "GET", alice_jid, login=alice_jid)
    assert body["list_name"] == "mine" and body["federated_default"] == "block"
    assert body["entries"] == [entry(f"friend@{PROSODY}", "allow"), entry("troll.test")]
    unsupported = await alice.iq("set", f"<query xmlns='{NS_PRIVACY}'><list name='x'>"
                                        f"<item type='group' value='Friends' action='deny' order='1'/>"
                                        f"</list></query>")
    assert xmpp_client.error_condition(unsupported) == "feature-not-implemented"

    # Who may do what.
    status, body, headers = await call(impd, "GET", alice_jid)
    assert status == 401 and "Basic" in headers.get("WWW-Authenticate", "")
    status, _, _ = await call(impd, "GET", alice_jid, login=alice_jid, password="wrong")
    assert status == 401
    status, _, _ = await call(impd, "GET", alice_jid, login=f"bob@{IMPD}")
    assert status == 403
    status, body, _ = await call(impd, "GET", alice_jid, login=f"root@{IMPD}")
    assert status == 200 and body["list_name"] == "mine"
    status, _, _ = await call(impd, "GET", f"nobody@{IMPD}", login=f"root@{IMPD}")
    assert status == 404
    status, body, _ = await call(impd, "PUT", alice_jid, {"entries": [{"jid": "x.test", "action": "deny"}]},
                                 login=alice_jid)
    assert status == 400 and "action" in body["error"]
    status, _, _ = await call(impd, "GET", alice_jid, login=alice_jid, path="/api/nothing")
    assert status == 404


async def test_federated_watcher_is_asked_once_and_a_no_is_remembered(impd_factory, federation):
    prosody = federation.prosody(PROSODY, users=["bob"], s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation)
    alice = await xmpp_client.login(impd, "alice")
    bob = await xmpp_client.login(prosody, "bob")
    bob.presence(to=f"alice@{IMPD}", type_="subscribe")
    await alice.expect_presence(bob.bare, "subscribe", timeout=WAIT)
    alice.presence(to=bob.bare, type_="unsubscribed")
    # Polite: the watcher is not told; it just never sees alice online.
    await bob.expect_no_presence(alice.bare, "unsubscribed", within=2.0)
    await bob.expect_no_presence(alice.bare, "available", within=0.5)
    status, body, _ = await call(impd, "GET", alice.bare, login=alice.bare)
    assert entry(bob.bare, scope="presence") in body["entries"], body

    # The decision survives a restart: asking again reaches nobody.
    await alice.close()
    impd.restart()
    alice = await xmpp_client.login(impd, "alice")
    bob.presence(to=f"alice@{IMPD}", type_="subscribe")
    await wait_for_log(impd, f"{PROSODY} authenticated")
    await alice.expect_no_presence(bob.bare, "subscribe", within=3.0)
    # Messages still pass: a presence block is not a communication block.
    await xmpp_client.chat_roundtrip(alice, bob, "we can still talk", timeout=WAIT)


async def test_a_blocked_domain_sees_the_user_offline_after_being_allowed(impd_factory, federation):
    prosody = federation.prosody(PROSODY, users=["bob"], s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation)
    alice = await xmpp_client.login(impd, "alice")
    bob = await xmpp_client.login(prosody, "bob")
    await xmpp_client.become_friends(alice, bob, timeout=WAIT)

    status, _, _ = await call(impd, "PUT", alice.bare, {"entries": [entry(PROSODY, scope="presence")]},
                              login=alice.bare)
    assert status == 200
    await bob.expect_presence(alice.jid, "unavailable", timeout=WAIT)
    bob.presences.clear()
    alice.presence(show="chat", status="visible to some")
    await bob.expect_no_presence(alice.jid, "available", within=2.0)
    # Lifting the block shows the user again.
    status, _, _ = await call(impd, "PUT", alice.bare, {"entries": []}, login=alice.bare)
    assert status == 200
    await bob.expect_presence(alice.jid, "available", timeout=WAIT)


async def test_allow_entries_and_defaults_decide_without_asking(impd_factory, federation):
    prosody = federation.prosody(PROSODY, users=["bob", "carol", "dave"], s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation)
    alice = await xmpp_client.login(impd, "alice")
    status, _, _ = await call(impd, "PUT", alice.bare,
                              {"federated_default": "block", "entries": [entry(f"bob@{PROSODY}", "allow")]},
                              login=alice.bare)
    assert status == 200
    bob = await xmpp_client.login(prosody, "bob")
    carol = await xmpp_client.login(prosody, "carol")
    # bob is allowed: approved at once, and he sees alice.
    bob.presence(to=alice.bare, type_="subscribe")
    await bob.expect_presence(alice.bare, "subscribed", timeout=WAIT)
    await bob.expect_presence(alice.jid, "available", timeout=WAIT)
    # carol falls to the default "block": nothing reaches alice, carol sees alice offline.
    carol.presence(to=alice.bare, type_="subscribe")
    await carol.expect_no_presence(alice.bare, "subscribed", within=2.0)
    await alice.expect_no_presence(bob.bare, "subscribe", within=0.5)
    await alice.expect_no_presence(carol.bare, "subscribe", within=0.5)
    # With the default "allow", dave is approved without asking too.
    status, _, _ = await call(impd, "PUT", alice.bare, {"federated_default": "allow"}, login=alice.bare)
    dave = await xmpp_client.login(prosody, "dave")
    dave.presence(to=alice.bare, type_="subscribe")
    await dave.expect_presence(alice.bare, "subscribed", timeout=WAIT)
    await alice.expect_no_presence(dave.bare, "subscribe", within=0.5)
