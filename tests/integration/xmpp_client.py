"""slixmpp clients for the tests: connect to an explicit address, collect every stanza.

Each Client keeps what it received in a StanzaBox; tests wait for a stanza that matches a
predicate (with a timeout) or assert that none arrives within a short window. Clients made
with `login()` are closed when the test's event loop ends.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import ssl
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import slixmpp
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

import impd_harness

NS_CLIENT = "jabber:client"
NS_ROSTER = "jabber:iq:roster"
NS_DELAY = "urn:xmpp:delay"
NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"
NS_BLOCKING = "urn:xmpp:blocking"
NS_DISCO_INFO = "http://jabber.org/protocol/disco#info"
NS_CAPS = "http://jabber.org/protocol/caps"
NS_AVAILABILITY = "urn:impd:availability:0"
CAPS_NODE = "https://impd.test/client"
CAPS_IDENTITY = ("client", "pc", "impd test client")

WAIT = 5.0        # how long a test waits for something that should arrive
QUIET = 1.0       # how long a test watches for something that must not arrive

logging.getLogger("slixmpp").setLevel(logging.WARNING)


def q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}"


# --- reading stanzas (by their XML, so slixmpp's conveniences cannot hide anything) -----------

def attr(st: Any, name: str) -> Optional[str]:
    return _xml(st).get(name)


def _xml(st: Any) -> ET.Element:
    return st.xml if hasattr(st, "xml") else st


def bare(jid: Optional[str]) -> str:
    return (jid or "").split("/", 1)[0]


def stype(st: Any, default: str = "") -> str:
    return _xml(st).get("type") or default


def child_text(st: Any, local: str, ns: str = NS_CLIENT) -> Optional[str]:
    el = _xml(st).find(q(ns, local))
    return el.text if el is not None else None


def body(st: Any) -> Optional[str]:
    return child_text(st, "body")


def show(st: Any) -> Optional[str]:
    return child_text(st, "show")


def status(st: Any) -> Optional[str]:
    return child_text(st, "status")


def priority(st: Any) -> int:
    p = child_text(st, "priority")
    return int(p) if p is not None and p.strip() else 0


def error_condition(st: Any) -> Optional[str]:
    err = _xml(st).find(q(NS_CLIENT, "error"))
    if err is None:
        return None
    for child in err:
        if child.tag.startswith("{" + NS_STANZAS + "}") and not child.tag.endswith("}text"):
            return child.tag.rsplit("}", 1)[1]
    return ""


def delay(st: Any) -> Optional[ET.Element]:
    return _xml(st).find(q(NS_DELAY, "delay"))


def roster_items(st: Any) -> dict[str, ET.Element]:
    query = _xml(st).find(q(NS_ROSTER, "query"))
    if query is None:
        return {}
    return {it.get("jid"): it for it in query.findall(q(NS_ROSTER, "item"))}


def dump(st: Any) -> str:
    return ET.tostring(_xml(st), encoding="unicode")


def presence_is(st: Any, *, frm: Optional[str] = None, type_: Optional[str] = None,
                show_: Optional[str] = "*", status_: Optional[str] = "*") -> bool:
    """Match a presence: frm is a full JID or (without '/') any resource of a bare JID."""
    if frm is not None:
        f = attr(st, "from") or ""
        if ("/" in frm and f != frm) or ("/" not in frm and bare(f) != frm):
            return False
    if type_ is not None and stype(st, "available") != type_:
        return False
    if show_ != "*" and show(st) != show_:
        return False
    if status_ != "*" and status(st) != status_:
        return False
    return True


class StanzaBox:
    """Received stanzas, in order; waits consume the first match and leave the rest."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.items: list[Any] = []
        self.seen: list[Any] = []
        self._event = asyncio.Event()

    def put(self, st: Any) -> None:
        self.items.append(st)
        self.seen.append(st)
        self._event.set()

    def take(self, pred: Callable[[Any], bool]) -> Optional[Any]:
        for i, st in enumerate(self.items):
            if pred(st):
                return self.items.pop(i)
        return None

    async def expect(self, pred: Callable[[Any], bool], timeout: float = WAIT, what: str = "a stanza") -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            st = self.take(pred)
            if st is not None:
                return st
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = "\n  ".join(dump(s) for s in self.seen[-12:]) or "(nothing)"
                raise AssertionError(f"{self.owner}: no {what} within {timeout:.1f} s; last received:\n  {recent}")
            self._event.clear()
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def expect_none(self, pred: Callable[[Any], bool], within: float = QUIET, what: str = "stanza") -> None:
        await asyncio.sleep(within)
        st = self.take(pred)
        if st is not None:
            raise AssertionError(f"{self.owner}: unexpected {what}: {dump(st)}")

    def clear(self) -> None:
        self.items.clear()


class Client(slixmpp.ClientXMPP):
    def __init__(self, jid: str, password: str, *, cafile: Optional[Path], sasl_mech: Optional[str] = None,
                 address: tuple[str, int]) -> None:
        super().__init__(jid, password, sasl_mech=sasl_mech)
        self.connect_address = address
        if cafile is not None:
            self.ca_certs = Path(cafile)
        else:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            self.ssl_context = ctx
        # Subscriptions are answered by the tests themselves, never automatically.
        self.roster.auto_authorize = None
        self.roster.auto_subscribe = False
        self.messages = StanzaBox(f"{jid} messages")
        self.presences = StanzaBox(f"{jid} presences")
        self.iqs = StanzaBox(f"{jid} iqs")         # iq get/set the server sent to us (pushes)
        # When set: the features this client lists in disco#info and announces with XEP-0115
        # caps in every presence it sends.
        self.disco_features: Optional[list[str]] = None
        self.errors: list[str] = []
        self.auth_failures: list[Any] = []
        self.stream_errors: list[Any] = []
        self._session = asyncio.get_running_loop().create_future()
        self.register_handler(Callback("test messages", MatchXPath(f"{{{NS_CLIENT}}}message"), self.messages.put))
        self.register_handler(Callback("test presences", MatchXPath(f"{{{NS_CLIENT}}}presence"), self.presences.put))
        self.register_handler(Callback("test iqs", MatchXPath(f"{{{NS_CLIENT}}}iq"), self._on_iq))
        self.add_event_handler("session_start", self._on_session_start)
        self.add_event_handler("failed_auth", self._on_failed_auth)
        self.add_event_handler("failed_all_auth", lambda e: self._fail("SASL authentication failed"))
        self.add_event_handler("no_auth", lambda e: self._fail("no acceptable SASL mechanism offered"))
        self.add_event_handler("stream_error", self._on_stream_error)
        self.add_event_handler("disconnected", lambda e: self._fail(f"disconnected ({e})"))
        self.add_event_handler("connection_failed", lambda e: self._fail(f"connection failed: {e}"))
        self.add_event_handler("ssl_invalid_chain", lambda e: self._fail(f"certificate not trusted: {e}"))

    # no DNS at all: the tests always connect to the address they are given
    async def get_dns_records(self, domain: str, port: Optional[int] = None):
        host, p = self.connect_address
        return [(host, host, p)]

    def _on_iq(self, iq: Any) -> None:
        if iq["type"] not in ("get", "set"):
            return
        self.iqs.put(iq)
        x = iq.xml
        if x.find(q(NS_ROSTER, "query")) is not None:
            return  # slixmpp answers roster pushes itself
        payload = list(x)
        ns = payload[0].tag[1:].split("}")[0] if payload and payload[0].tag.startswith("{") else ""
        if ns in ("urn:xmpp:ping", NS_BLOCKING):
            iq.reply(clear=True).send()
        elif ns == NS_DISCO_INFO and self.disco_features is not None and iq["type"] == "get":
            reply = iq.reply(clear=True)
            query = ET.SubElement(reply.xml, f"{{{NS_DISCO_INFO}}}query")
            node = payload[0].get("node")
            if node:
                query.set("node", node)
            category, type_, name = CAPS_IDENTITY
            ET.SubElement(query, f"{{{NS_DISCO_INFO}}}identity", {"category": category, "type": type_, "name": name})
            for var in self.disco_features:
                ET.SubElement(query, f"{{{NS_DISCO_INFO}}}feature", {"var": var})
            reply.send()
        else:
            err = iq.reply(clear=True)
            err["type"] = "error"
            err["error"]["type"] = "cancel"
            err["error"]["condition"] = "service-unavailable"
            err.send()

    def _on_session_start(self, _e: Any) -> None:
        if not self._session.done():
            self._session.set_result(True)

    def _on_failed_auth(self, e: Any) -> None:
        self.auth_failures.append(e)

    def _on_stream_error(self, e: Any) -> None:
        self.stream_errors.append(e)
        self._fail(f"stream error: {dump(e)}")

    def _fail(self, why: str) -> None:
        self.errors.append(why)
        if not self._session.done():
            self._session.set_exception(AssertionError(f"{self.boundjid}: {why}"))

    async def wait_session(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(asyncio.shield(self._session), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"{self.boundjid}: no session within {timeout:.0f} s "
                                 f"(errors: {self.errors or 'none'})") from None

    # --- actions

    @property
    def jid(self) -> str:
        return str(self.boundjid.full)

    @property
    def bare(self) -> str:
        return str(self.boundjid.bare)

    def mech_used(self) -> Optional[str]:
        mech = getattr(self["feature_mechanisms"], "mech", None)
        return getattr(mech, "name", None)

    def presence(self, *, show: Optional[str] = None, status: Optional[str] = None,
                 priority: Optional[int] = None, to: Optional[str] = None, type_: Optional[str] = None,
                 availability: Optional[str] = None) -> None:
        extra_availability = [availability] if availability else []
        p = self.make_presence(pshow=show, pstatus=status, ppriority=priority, pto=to)
        if type_:
            p.xml.set("type", type_)
        if self.disco_features is not None and not type_ and not to:
            ET.SubElement(p.xml, f"{{{NS_CAPS}}}c", {"hash": "sha-1", "node": CAPS_NODE, "ver": self.caps_ver()})
        for state in extra_availability:
            ET.SubElement(p.xml, f"{{{NS_AVAILABILITY}}}availability", {"state": state})
        p.send()

    def caps_ver(self) -> str:
        """XEP-0115 section 5.1 verification string of this client's identity and features."""
        category, type_, name = CAPS_IDENTITY
        s = f"{category}/{type_}//{name}<" + "".join(f + "<" for f in sorted(self.disco_features or []))
        return base64.b64encode(hashlib.sha1(s.encode()).digest()).decode()

    def message(self, to: str, text: Optional[str], type_: str = "chat", **extra: str) -> Any:
        m = self.make_message(mto=to, mbody=text, mtype=type_)
        for k, v in extra.items():
            m.xml.set(k, v)
        m.send()
        return m

    async def iq(self, type_: str, payload: Optional[str | ET.Element] = None, *, to: Optional[str] = None,
                 timeout: float = WAIT) -> Any:
        """Send an iq; return the reply (result or error) instead of raising on error."""
        iq = self.Iq()
        iq["type"] = type_
        if to:
            iq["to"] = to
        if payload is not None:
            iq.append(ET.fromstring(payload) if isinstance(payload, str) else payload)
        try:
            return await iq.send(timeout=timeout)
        except IqError as e:
            return e.iq
        except IqTimeout:
            raise AssertionError(f"{self.jid}: no answer within {timeout:.0f} s to {dump(iq)}") from None

    async def roster_get(self, ver: Optional[str] = None) -> Any:
        payload = f"<query xmlns='{NS_ROSTER}'" + (f" ver='{ver}'" if ver is not None else "") + "/>"
        return await self.iq("get", payload)

    async def roster_set(self, jid: str, name: Optional[str] = None, groups: Iterable[str] = (),
                         subscription: Optional[str] = None) -> Any:
        item = ET.Element("item", {"jid": jid})
        if name is not None:
            item.set("name", name)
        if subscription is not None:
            item.set("subscription", subscription)
        for g in groups:
            ET.SubElement(item, "group").text = g
        query = ET.Element(q(NS_ROSTER, "query"))
        query.append(item)
        for el in query.iter():
            if not el.tag.startswith("{"):
                el.tag = q(NS_ROSTER, el.tag)
        return await self.iq("set", query)

    async def roster_remove(self, jid: str) -> Any:
        return await self.roster_set(jid, subscription="remove")

    # --- waiting

    async def expect_message(self, pred: Callable[[Any], bool] = lambda m: True, *, frm: Optional[str] = None,
                             body_: Optional[str] = None, type_: Optional[str] = None, timeout: float = WAIT,
                             what: Optional[str] = None) -> Any:
        def match(m: Any) -> bool:
            if frm is not None and not _from_matches(m, frm):
                return False
            if body_ is not None and body(m) != body_:
                return False
            if type_ is not None and stype(m, "normal") != type_:
                return False
            return pred(m)
        return await self.messages.expect(match, timeout, what or f"message (from={frm}, body={body_!r}, type={type_})")

    async def expect_presence(self, frm: Optional[str] = None, type_: Optional[str] = "available", *,
                              show_: Optional[str] = "*", status_: Optional[str] = "*",
                              pred: Callable[[Any], bool] = lambda p: True, timeout: float = WAIT) -> Any:
        return await self.presences.expect(
            lambda p: presence_is(p, frm=frm, type_=type_, show_=show_, status_=status_) and pred(p),
            timeout, f"presence (from={frm}, type={type_}, show={show_}, status={status_})")

    async def expect_no_presence(self, frm: Optional[str] = None, type_: Optional[str] = None,
                                 within: float = QUIET) -> None:
        await self.presences.expect_none(lambda p: presence_is(p, frm=frm, type_=type_), within,
                                         f"presence (from={frm}, type={type_})")

    async def expect_roster_push(self, jid: str, pred: Callable[[ET.Element], bool] = lambda i: True,
                                 timeout: float = WAIT, what: str = "") -> ET.Element:
        def match(iq: Any) -> bool:
            if stype(iq) != "set":
                return False
            item = roster_items(iq).get(jid)
            return item is not None and pred(item)
        iq = await self.iqs.expect(match, timeout, what or f"roster push for {jid}")
        return roster_items(iq)[jid]

    async def close(self, wait: float = 2.0) -> None:
        """Close the stream (</stream:stream>) and wait for the server's close."""
        if self.transport is None:
            return
        fut = self.disconnect(wait=wait)
        try:
            await asyncio.wait_for(asyncio.shield(self.disconnected), wait + 2)
        except asyncio.TimeoutError:
            self.abort()
        try:
            await asyncio.wait_for(fut, 1)
        except Exception:
            pass

    def drop(self) -> None:
        """Cut the TCP connection without closing the stream."""
        self.abort()


def _from_matches(st: Any, frm: str) -> bool:
    f = attr(st, "from") or ""
    return f == frm if "/" in frm else bare(f) == frm


_live: list[Client] = []


async def _close_all() -> None:
    clients, _live[:] = list(_live), []
    await asyncio.gather(*(c.close(wait=1.0) for c in clients), return_exceptions=True)


async def login(server: "impd_harness.ImpdServer", user: str, password: str = impd_harness.DEFAULT_PASSWORD, *,
                resource: Optional[str] = None, presence: bool = True, roster: bool = True,
                priority: Optional[int] = None, show_: Optional[str] = None, status_: Optional[str] = None,
                direct_tls: bool = False, mech: Optional[str] = None, starttls: bool = True,
                keepalive: Optional[float] = None, timeout: float = 10.0,
                features: Optional[list[str]] = None) -> Client:
    """Connect, authenticate, bind; then (optionally) fetch the roster and send initial presence."""
    jid = user if "@" in user else server.jid(user)
    if resource:
        jid = f"{jid}/{resource}"
    address = server.direct_tls if direct_tls else server.c2s
    c = Client(jid, password, cafile=server.cafile, sasl_mech=mech, address=address)
    c.disco_features = features
    if not _live:
        impd_harness.on_loop_exit(_close_all)
    _live.append(c)
    if keepalive:
        c.whitespace_keepalive = True
        c.whitespace_keepalive_interval = keepalive
    c.connect(address=address, use_ssl=direct_tls, force_starttls=starttls and not direct_tls,
              disable_starttls=not starttls or direct_tls)
    await c.wait_session(timeout)
    if roster:
        res = await c.roster_get()
        assert stype(res) == "result", f"{jid}: roster get failed: {dump(res)}"
    if presence:
        c.presence(priority=priority, show=show_, status=status_)
    return c


async def become_friends(a: Client, b: Client, timeout: float = WAIT) -> None:
    """Mutual subscription a <-> b following RFC 6121 section 3, checking each step."""
    for x, y in ((a, b), (b, a)):
        x.presence(to=y.bare, type_="subscribe")
        await y.expect_presence(x.bare, "subscribe", timeout=timeout)
        y.presence(to=x.bare, type_="subscribed")
        await x.expect_presence(y.bare, "subscribed", timeout=timeout)
    # each side now sees the other's available presence
    await a.expect_presence(b.jid, "available", timeout=timeout)
    await b.expect_presence(a.jid, "available", timeout=timeout)


async def chat_roundtrip(a: Client, b: Client, text: str = "ping", timeout: float = WAIT) -> None:
    a.message(b.jid, text)
    await b.expect_message(frm=a.jid, body_=text, timeout=timeout)
    b.message(a.jid, text + " back")
    await a.expect_message(frm=b.jid, body_=text + " back", timeout=timeout)
