"""The main flows again with aioxmpp, so the server is not tuned to a single client library."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, Callable

import aioxmpp
import aioxmpp.connector
import aioxmpp.dispatcher
import aioxmpp.node
import pytest

import impd_harness
import xmpp_client as xc
from impd_harness import DEFAULT_PASSWORD

logging.getLogger("aioxmpp").setLevel(logging.WARNING)
logging.getLogger("aioopenssl").setLevel(logging.WARNING)
WAIT = 8.0


async def _no_discovery(domain, loop=None, logger=None):
    return []     # never ask DNS: only the address given to the test is tried

aioxmpp.node.discover_connectors = _no_discovery


class Box:
    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[Any] = []
        self.event = asyncio.Event()

    def put(self, item: Any) -> None:
        self.items.append(item)
        self.event.set()

    async def expect(self, pred: Callable[[Any], bool], timeout: float = WAIT, what: str = "event") -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for i, it in enumerate(self.items):
                if pred(it):
                    return self.items.pop(i)
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{self.name}: no {what} within {timeout:.0f} s; got {self.items[-10:]}")
            self.event.clear()
            try:
                await asyncio.wait_for(self.event.wait(), remaining)
            except asyncio.TimeoutError:
                pass


class AioUser:
    """One aioxmpp client with its roster, presence and message services."""

    def __init__(self, srv, local: str, resource: str, *, password: str = DEFAULT_PASSWORD,
                 direct_tls: bool = False) -> None:
        self.jid = aioxmpp.JID.fromstr(f"{local}@{srv.domain}/{resource}")
        connector = aioxmpp.connector.XMPPOverTLSConnector() if direct_tls else aioxmpp.connector.STARTTLSConnector()
        host, port = srv.direct_tls if direct_tls else srv.c2s
        self.client = aioxmpp.PresenceManagedClient(
            self.jid, aioxmpp.make_security_layer(password, no_verify=True),
            override_peer=[(host, port, connector)], max_initial_attempts=1)
        self.roster = self.client.summon(aioxmpp.RosterClient)
        self.presence = self.client.summon(aioxmpp.PresenceClient)
        self.messages = Box(f"{self.jid} messages")
        self.presences = Box(f"{self.jid} presences")
        self.requests = Box(f"{self.jid} subscription requests")
        self.failures: list[BaseException] = []
        self._established = asyncio.Event()
        disp = self.client.summon(aioxmpp.dispatcher.SimpleMessageDispatcher)
        for t in (aioxmpp.MessageType.CHAT, aioxmpp.MessageType.NORMAL, aioxmpp.MessageType.ERROR,
                  aioxmpp.MessageType.HEADLINE):
            disp.register_callback(t, None, self.messages.put)
        self.presence.on_available.connect(lambda j, st: self.presences.put(("available", str(j), st)))
        self.presence.on_changed.connect(lambda j, st: self.presences.put(("changed", str(j), st)))
        self.presence.on_unavailable.connect(lambda j, st: self.presences.put(("unavailable", str(j), st)))
        self.roster.on_subscribe.connect(lambda st: self.requests.put(("subscribe", str(st.from_.bare()))))
        self.roster.on_subscribed.connect(lambda st: self.requests.put(("subscribed", str(st.from_.bare()))))
        self.client.on_stream_established.connect(lambda: self._established.set())
        self.client.on_failure.connect(lambda exc: self._fail(exc))

    def _fail(self, exc: BaseException) -> None:
        self.failures.append(exc)
        self._established.set()

    async def start(self, show=aioxmpp.PresenceShow.NONE, status: str | None = None, timeout: float = 10) -> "AioUser":
        _live.append(self)
        if len(_live) == 1:
            impd_harness.on_loop_exit(_stop_all)
        self.client.set_presence(aioxmpp.PresenceState(True, show), status or {})
        try:
            await asyncio.wait_for(self._established.wait(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"{self.jid}: no stream within {timeout:.0f} s") from None
        if self.failures:
            raise AssertionError(f"{self.jid}: connection failed: {self.failures[0]!r}")
        return self

    async def stop(self, timeout: float = 5) -> None:
        if self.client.running:
            stopped = asyncio.Event()
            self.client.on_stopped.connect(lambda: stopped.set())
            self.client.on_failure.connect(lambda exc: stopped.set())
            self.client.presence = aioxmpp.PresenceState(False)
            try:
                await asyncio.wait_for(stopped.wait(), timeout)
            except asyncio.TimeoutError:
                self.client.stop()

    async def send_chat(self, to: str, text: str, type_=aioxmpp.MessageType.CHAT) -> None:
        msg = aioxmpp.Message(type_=type_, to=aioxmpp.JID.fromstr(to))
        msg.body[None] = text
        await self.client.send(msg)

    async def expect_message(self, text: str, timeout: float = WAIT):
        return await self.messages.expect(lambda m: m.body.any() == text if m.body else False, timeout,
                                          f"message {text!r}")

    async def expect_presence(self, kind: str, full_jid: str, pred=lambda st: True, timeout: float = WAIT):
        return await self.presences.expect(lambda p: p[0] in kind.split("|") and p[1] == full_jid and pred(p[2]),
                                           timeout, f"{kind} presence of {full_jid}")


_live: list[AioUser] = []


async def until(cond: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not cond():
        if loop.time() > deadline:
            raise AssertionError(f"not true within {timeout:.0f} s: {what}")
        await asyncio.sleep(0.05)


async def _stop_all() -> None:
    users, _live[:] = list(_live), []
    await asyncio.gather(*(u.stop() for u in users), return_exceptions=True)


async def befriend(a: AioUser, b: AioUser) -> None:
    a_bare, b_bare = str(a.jid.bare()), str(b.jid.bare())
    a.roster.subscribe(b.jid.bare())
    await b.requests.expect(lambda r: r == ("subscribe", a_bare), what="subscribe")
    b.roster.approve(a.jid.bare())
    await a.requests.expect(lambda r: r == ("subscribed", b_bare), what="subscribed")
    b.roster.subscribe(a.jid.bare())
    await a.requests.expect(lambda r: r == ("subscribe", b_bare), what="subscribe")
    a.roster.approve(b.jid.bare())
    await b.requests.expect(lambda r: r == ("subscribed", a_bare), what="subscribed")
    await a.expect_presence("available", str(b.jid))
    await b.expect_presence("available", str(a.jid))


@pytest.mark.parametrize("direct_tls", [False, True], ids=["starttls", "direct-tls"])
async def test_login(impd_server, direct_tls):
    impd_server.add_users("alice")
    a = await AioUser(impd_server, "alice", "aio", direct_tls=direct_tls).start()
    assert str(a.client.local_jid) == "alice@imp.test/aio"
    await a.stop()


async def test_wrong_password_fails(impd_server):
    impd_server.add_users("alice")
    with pytest.raises(AssertionError):
        await AioUser(impd_server, "alice", "aio", password="wrong-one").start(timeout=10)


async def test_subscribe_approve_and_presence(impd_server):
    impd_server.add_users("alice", "bob")
    a = await AioUser(impd_server, "alice", "a1").start()
    b = await AioUser(impd_server, "bob", "b1").start()
    await befriend(a, b)

    for x, y in ((a, b), (b, a)):
        await until(lambda: getattr(x.roster.items.get(y.jid.bare()), "subscription", None) == "both",
                    f"{x.jid} has {y.jid.bare()} with subscription both")

    for show, text in ((aioxmpp.PresenceShow.AWAY, "out"), (aioxmpp.PresenceShow.DND, "busy"),
                       (aioxmpp.PresenceShow.XA, "gone"), (aioxmpp.PresenceShow.CHAT, "chatty")):
        a.client.set_presence(aioxmpp.PresenceState(True, show), text)
        _, _, st = await b.expect_presence("changed", str(a.jid), lambda st, s=show: st.show == s)
        assert st.status.any() == text

    await a.stop()
    await b.expect_presence("unavailable", "alice@imp.test/a1")


async def test_chat(impd_server):
    impd_server.add_users("alice", "bob")
    a = await AioUser(impd_server, "alice", "a1").start()
    b = await AioUser(impd_server, "bob", "b1").start()
    await a.send_chat("bob@imp.test/b1", "hello from aioxmpp")
    m = await b.expect_message("hello from aioxmpp")
    assert str(m.from_) == "alice@imp.test/a1"
    await b.send_chat("alice@imp.test", "to your bare JID")
    await a.expect_message("to your bare JID")


async def test_offline_delivery(impd_server):
    impd_server.add_users("alice", "bob")
    a = await AioUser(impd_server, "alice", "a1").start()
    t0 = dt.datetime.now(dt.timezone.utc)
    await a.send_chat("bob@imp.test", "stored for later")
    await asyncio.sleep(0.3)
    b = await AioUser(impd_server, "bob", "b1").start()
    m = await b.expect_message("stored for later")
    assert m.xep0203_delay, "an offline message carries a XEP-0203 delay"
    stamp = m.xep0203_delay[0].stamp
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    assert abs((stamp - t0).total_seconds()) < 10


async def test_aioxmpp_and_slixmpp_talk(impd_server):
    impd_server.add_users("alice", "bob")
    a = await AioUser(impd_server, "alice", "aio").start()
    bob = await xc.login(impd_server, "bob", resource="sli")
    bob.presence(to="alice@imp.test", type_="subscribe")
    await a.requests.expect(lambda r: r == ("subscribe", "bob@imp.test"))
    a.roster.approve(aioxmpp.JID.fromstr("bob@imp.test"))
    await bob.expect_presence("alice@imp.test", "subscribed")
    await bob.expect_presence("alice@imp.test/aio", "available")

    await a.send_chat(bob.jid, "from aioxmpp")
    await bob.expect_message(frm="alice@imp.test/aio", body_="from aioxmpp")
    bob.message("alice@imp.test/aio", "from slixmpp")
    await a.expect_message("from slixmpp")
