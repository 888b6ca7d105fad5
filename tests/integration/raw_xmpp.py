"""A tiny XMPP client over raw asyncio sockets, for tests that need exact control of the bytes.

It keeps two views of what the server sent: the decoded text (for `read_until`, robust even
when the server's output is cut short) and the parsed top-level elements (for stanza-level
work such as stream management). Every wait takes a timeout and fails with what was received.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import re
import socket
import ssl
import xml.etree.ElementTree as ET
from typing import Callable, Optional

NS_STREAM = "http://etherx.jabber.org/streams"
NS_CLIENT = "jabber:client"
NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls"
NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind"
NS_SESSION = "urn:ietf:params:xml:ns:xmpp-session"
NS_STREAM_ERR = "urn:ietf:params:xml:ns:xmpp-streams"
NS_STANZA_ERR = "urn:ietf:params:xml:ns:xmpp-stanzas"
NS_SM = "urn:xmpp:sm:3"

DEFAULT_TIMEOUT = 5.0
STANZA_TAGS = {f"{{{NS_CLIENT}}}message", f"{{{NS_CLIENT}}}presence", f"{{{NS_CLIENT}}}iq"}


def q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}"


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xml_text(el: ET.Element) -> str:
    return ET.tostring(el, encoding="unicode")


def stream_header(to: str, *, lang: str = "en", extra: str = "") -> str:
    return ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            f"xmlns:stream='http://etherx.jabber.org/streams' to='{to}' version='1.0' "
            f"xml:lang='{lang}'{(' ' + extra) if extra else ''}>")


def xml_escape(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


class AuthFailed(AssertionError):
    def __init__(self, condition: str, text: str) -> None:
        super().__init__(f"SASL failure <{condition}/>: {text[:500]}")
        self.condition = condition
        self.text = text


class RawXmpp:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                 domain: str, ssl_ctx: Optional[ssl.SSLContext], timeout: float) -> None:
        self.reader, self.writer = reader, writer
        self.domain = domain
        self.ssl_ctx = ssl_ctx
        self.timeout = timeout
        self.text = ""              # decoded bytes not yet consumed by read_until
        self.received = ""          # everything decoded since connect (for messages)
        self.raw_bytes = 0
        self.elements: list[ET.Element] = []   # parsed top-level elements not yet consumed
        self.closed = False
        self.close_reason = ""
        self.tls = ssl_ctx is not None and writer.get_extra_info("ssl_object") is not None
        self.jid: Optional[str] = None
        self.features: Optional[ET.Element] = None
        # stream management (XEP-0198): stanzas received since <enabled/> or <resumed/>
        self.sm_counting = False
        self.sm_inbound = 0
        self.auto_ack = True
        self._changed = asyncio.Event()
        self._decoder = None
        self._reset_parser()
        self._task = asyncio.ensure_future(self._read_loop())
        _track(self)

    # -- connecting

    @classmethod
    async def connect(cls, host: str, port: int, *, domain: str = "imp.test", direct_tls: bool = False,
                      ssl_ctx: Optional[ssl.SSLContext] = None, source: Optional[str] = None,
                      timeout: float = DEFAULT_TIMEOUT) -> "RawXmpp":
        if ssl_ctx is None:
            ssl_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ssl_ctx.check_hostname = False
            ssl_ctx.verify_mode = ssl.CERT_NONE
        kwargs = {}
        if source:
            kwargs["local_addr"] = (source, 0)
        if direct_tls:
            kwargs["ssl"] = ssl_ctx
            kwargs["server_hostname"] = domain
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port, **kwargs), timeout)
        self = cls(reader, writer, domain=domain, ssl_ctx=ssl_ctx, timeout=timeout)
        self.tls = direct_tls
        return self

    # -- reading

    def _reset_parser(self) -> None:
        self._parser = ET.XMLPullParser(events=("start", "end"))
        self._depth = 0
        self._root: Optional[ET.Element] = None
        self.parse_error: Optional[str] = None

    async def _read_loop(self) -> None:
        import codecs
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        try:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    self.close_reason = "eof"
                    break
                self.raw_bytes += len(data)
                chunk = self._decoder.decode(data)
                self.text += chunk
                self.received += chunk
                self._feed(chunk)
                self._changed.set()
        except (ConnectionError, ssl.SSLError, OSError) as e:
            self.close_reason = f"{type(e).__name__}: {e}"
        except asyncio.CancelledError:
            self.close_reason = "cancelled"
            raise
        finally:
            self.closed = True
            self._changed.set()

    def _feed(self, chunk: str) -> None:
        if self.parse_error is not None:
            return
        try:
            self._parser.feed(chunk)
            for event, el in self._parser.read_events():
                if event == "start":
                    self._depth += 1
                    if self._depth == 1:
                        self._root = el
                elif event == "end":
                    self._depth -= 1
                    if self._depth == 1:
                        self._on_element(el)
                        if self._root is not None:
                            self._root.remove(el)
                    elif self._depth == 0:
                        self.elements.append(ET.Element(q(NS_STREAM, "end-of-stream")))
        except ET.ParseError as e:
            self.parse_error = str(e)

    def _on_element(self, el: ET.Element) -> None:
        if el.tag in (q(NS_SM, "enabled"), q(NS_SM, "resumed")):
            self.sm_counting = True
            if el.tag == q(NS_SM, "enabled"):
                self.sm_inbound = 0
        elif el.tag == q(NS_SM, "r") and self.sm_counting and self.auto_ack:
            self._write_nowait(f"<a xmlns='{NS_SM}' h='{self.sm_inbound}'/>")
        elif self.sm_counting and el.tag in STANZA_TAGS:
            self.sm_inbound += 1
        self.elements.append(el)

    async def _wait(self, check: Callable[[], object], timeout: Optional[float], what: str):
        timeout = self.timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result is not None and result is not False:
                return result
            if self.closed:
                result = check()
                if result is not None and result is not False:
                    return result
                raise AssertionError(f"connection closed ({self.close_reason}) while waiting for {what}; "
                                     f"received: {self._recent()}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout:.1f} s waiting for {what}; "
                                     f"received: {self._recent()}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    def _recent(self, n: int = 1500) -> str:
        r = self.received
        return repr(r if len(r) <= n else "..." + r[-n:])

    async def read_until(self, pattern: str, timeout: Optional[float] = None, flags: int = re.S) -> re.Match:
        """Wait until the unconsumed text matches the regex; consume through the match."""
        rx = re.compile(pattern, flags)

        def check():
            m = rx.search(self.text)
            if m:
                self.text = self.text[m.end():]
            return m

        return await self._wait(check, timeout, f"/{pattern}/")

    def clear_text(self) -> None:
        self.text = ""

    async def next_element(self, pred: Callable[[ET.Element], bool] = lambda e: True,
                           timeout: Optional[float] = None, what: str = "an element") -> ET.Element:
        """Wait for (and consume) the first unconsumed top-level element matching pred."""

        def check():
            for i, el in enumerate(self.elements):
                if pred(el):
                    return self.elements.pop(i)
            return None

        return await self._wait(check, timeout, what)

    async def next_tag(self, ns: str, local: str, timeout: Optional[float] = None) -> ET.Element:
        return await self.next_element(lambda e: e.tag == q(ns, local), timeout, f"<{local} xmlns='{ns}'>")

    async def stanza(self, kind: str, pred: Callable[[ET.Element], bool] = lambda e: True,
                     timeout: Optional[float] = None, what: str = "") -> ET.Element:
        tag = q(NS_CLIENT, kind)
        return await self.next_element(lambda e: e.tag == tag and pred(e), timeout, what or f"a <{kind}/>")

    async def expect_closed(self, timeout: Optional[float] = None) -> str:
        """Wait until the server closes the TCP connection; return everything it sent."""
        await self._wait(lambda: self.closed, timeout, "the server to close the connection")
        return self.received

    async def stream_error(self, timeout: Optional[float] = None) -> str:
        """Wait for a <stream:error/>; return its condition's local name."""
        rx = re.compile(r"<(?:[\w.-]+:)?error\b[^>]*>.*?<([\w-]+)[^>]*xmlns=['\"]" + re.escape(NS_STREAM_ERR), re.S)

        def check():
            for el in self.elements:
                if el.tag == q(NS_STREAM, "error"):
                    for child in el:
                        if child.tag.startswith("{" + NS_STREAM_ERR + "}") and local_name(child.tag) != "text":
                            return local_name(child.tag)
            m = rx.search(self.received)
            if m:
                return m.group(1)
            return None

        return await self._wait(check, timeout, "a <stream:error/>")

    # -- writing

    def _write_nowait(self, data: str | bytes) -> None:
        if isinstance(data, str):
            data = data.encode()
        try:
            self.writer.write(data)
        except (ConnectionError, RuntimeError, OSError):
            pass

    async def send(self, data: str | bytes, *, tolerate_close: bool = False) -> bool:
        """Send bytes; with tolerate_close, a connection the server has closed is not an error."""
        if isinstance(data, str):
            data = data.encode()
        try:
            if self.writer.is_closing():
                raise ConnectionResetError("transport is closing")
            self.writer.write(data)
            await asyncio.wait_for(self.writer.drain(), self.timeout)
            return True
        except (ConnectionError, OSError, asyncio.TimeoutError, ssl.SSLError, RuntimeError):
            if tolerate_close:
                return False
            raise

    async def send_slowly(self, data: str, delay: float, *, stop_when_closed: bool = True) -> int:
        """Send one character every `delay` seconds; return how many were sent before a close."""
        sent = 0
        for ch in data:
            if stop_when_closed and self.closed:
                break
            if not await self.send(ch, tolerate_close=True):
                break
            sent += 1
            await asyncio.sleep(delay)
        return sent

    def abort(self, rst: bool = True) -> None:
        """Drop the connection without closing the stream (a network failure, as far as the server knows)."""
        sock = self.writer.get_extra_info("socket")
        if rst and sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            except OSError:
                pass
        self.writer.transport.abort()
        self._task.cancel()

    async def close(self, timeout: float = 2.0) -> None:
        """Close the stream properly and wait briefly for the server's closing tag."""
        if not self.closed:
            await self.send("</stream:stream>", tolerate_close=True)
            try:
                await self._wait(lambda: self.closed or "</stream:stream>" in self.text, timeout, "close")
            except AssertionError:
                pass
        self.writer.close()
        self._task.cancel()
        try:
            await asyncio.wait_for(self.writer.wait_closed(), 1)
        except Exception:
            pass

    # -- negotiation

    async def open_stream(self, to: Optional[str] = None, *, extra: str = "") -> ET.Element:
        """Send a stream header; return the server's <stream:features/>."""
        self._reset_parser()
        self.clear_text()
        self.elements.clear()
        await self.send(stream_header(to or self.domain, extra=extra))
        self.features = await self.next_tag(NS_STREAM, "features")
        return self.features

    def mechanisms(self, features: Optional[ET.Element] = None) -> list[str]:
        f = self.features if features is None else features
        mechs = f.find(q(NS_SASL, "mechanisms")) if f is not None else None
        return [m.text.strip() for m in mechs.findall(q(NS_SASL, "mechanism"))] if mechs is not None else []

    def offers(self, ns: str, local: str) -> bool:
        return self.features is not None and self.features.find(q(ns, local)) is not None

    async def starttls(self) -> ET.Element:
        await self.send(f"<starttls xmlns='{NS_TLS}'/>")
        el = await self.next_element(lambda e: e.tag in (q(NS_TLS, "proceed"), q(NS_TLS, "failure")),
                                     what="<proceed/> to STARTTLS")
        if el.tag != q(NS_TLS, "proceed"):
            raise AssertionError("server refused STARTTLS: " + xml_text(el))
        # Nothing may come between <proceed/> and the TLS handshake; stop the reader first.
        self._task.cancel()
        try:
            await self._task
        except (asyncio.CancelledError, Exception):
            pass
        self.closed = False
        await asyncio.wait_for(self.writer.start_tls(self.ssl_ctx, server_hostname=self.domain), self.timeout)
        self.tls = True
        self._task = asyncio.ensure_future(self._read_loop())
        return await self.open_stream()

    async def _sasl_result(self) -> ET.Element:
        return await self.next_element(
            lambda e: e.tag in (q(NS_SASL, "success"), q(NS_SASL, "failure"), q(NS_SASL, "challenge")),
            what="a SASL answer")

    def _failure(self, el: ET.Element) -> AuthFailed:
        cond = next((local_name(c.tag) for c in el if local_name(c.tag) != "text"), "")
        return AuthFailed(cond, xml_text(el))

    async def auth_plain(self, user: str, password: str, *, authzid: str = "") -> None:
        token = base64.b64encode(f"{authzid}\0{user}\0{password}".encode()).decode()
        await self.send(f"<auth xmlns='{NS_SASL}' mechanism='PLAIN'>{token}</auth>")
        el = await self._sasl_result()
        if el.tag != q(NS_SASL, "success"):
            raise self._failure(el)

    async def auth_scram(self, user: str, password: str, hash_name: str = "SHA-256") -> None:
        scram = ScramClient(hash_name, user, password)
        await self.send(f"<auth xmlns='{NS_SASL}' mechanism='SCRAM-{hash_name}'>"
                        f"{base64.b64encode(scram.client_first()).decode()}</auth>")
        el = await self._sasl_result()
        if el.tag != q(NS_SASL, "challenge"):
            raise self._failure(el)
        final = scram.client_final(base64.b64decode(el.text or ""))
        await self.send(f"<response xmlns='{NS_SASL}'>{base64.b64encode(final).decode()}</response>")
        el = await self._sasl_result()
        if el.tag == q(NS_SASL, "challenge"):      # server-final sent as a challenge (allowed)
            scram.verify_server_final(base64.b64decode(el.text or ""))
            await self.send(f"<response xmlns='{NS_SASL}'/>")
            el = await self._sasl_result()
            if el.tag != q(NS_SASL, "success"):
                raise self._failure(el)
            return
        if el.tag != q(NS_SASL, "success"):
            raise self._failure(el)
        scram.verify_server_final(base64.b64decode(el.text or ""))

    async def authenticate(self, user: str, password: str, mech: str = "PLAIN") -> ET.Element:
        """SASL with the named mechanism, then restart the stream; return the new features."""
        if mech == "PLAIN":
            await self.auth_plain(user, password)
        elif mech.startswith("SCRAM-"):
            await self.auth_scram(user, password, mech[len("SCRAM-"):])
        else:
            raise ValueError(mech)
        return await self.open_stream()

    async def bind(self, resource: Optional[str] = None) -> str:
        res = f"<resource>{xml_escape(resource)}</resource>" if resource else ""
        reply = await self.iq("set", f"<bind xmlns='{NS_BIND}'>{res}</bind>")
        if reply.get("type") != "result":
            raise AssertionError("resource binding failed: " + xml_text(reply))
        jid_el = reply.find(f"{q(NS_BIND, 'bind')}/{q(NS_BIND, 'jid')}")
        assert jid_el is not None and jid_el.text, "bind result has no <jid/>: " + xml_text(reply)
        self.jid = jid_el.text.strip()
        sess = self.features.find(q(NS_SESSION, "session")) if self.features is not None else None
        if sess is not None and sess.find(q(NS_SESSION, "optional")) is None:
            reply = await self.iq("set", f"<session xmlns='{NS_SESSION}'/>")
            assert reply.get("type") == "result", "session establishment failed: " + xml_text(reply)
        return self.jid

    async def login(self, user: str, password: str, *, resource: Optional[str] = None, mech: str = "PLAIN",
                    starttls: Optional[bool] = None, bind: bool = True) -> ET.Element:
        """The whole negotiation: header, STARTTLS (when offered and wanted), SASL, bind."""
        features = await self.open_stream()
        if starttls is None:
            starttls = not self.tls and features.find(q(NS_TLS, "starttls")) is not None
        if starttls:
            features = await self.starttls()
        features = await self.authenticate(user, password, mech)
        if bind:
            await self.bind(resource)
        self.elements.clear()
        self.clear_text()
        return features

    # -- stanzas

    _ids = 0

    @classmethod
    def new_id(cls, prefix: str = "raw") -> str:
        cls._ids += 1
        return f"{prefix}{cls._ids}-{os.getpid()}"

    async def iq(self, type_: str, payload: str = "", *, to: Optional[str] = None,
                 timeout: Optional[float] = None) -> ET.Element:
        """Send an iq and wait for the result/error with the same id."""
        iq_id = self.new_id("iq")
        to_attr = f" to='{to}'" if to else ""
        await self.send(f"<iq type='{type_}' id='{iq_id}'{to_attr}>{payload}</iq>")
        return await self.stanza(
            "iq", lambda e: e.get("id") == iq_id and e.get("type") in ("result", "error"), timeout,
            f"the answer to iq {iq_id}")

    async def message(self, to: str, body: str, type_: str = "chat", *, id_: Optional[str] = None) -> None:
        id_attr = f" id='{id_}'" if id_ else ""
        await self.send(f"<message to='{to}' type='{type_}'{id_attr}><body>{xml_escape(body)}</body></message>")

    async def presence(self, *, show: Optional[str] = None, status: Optional[str] = None,
                       priority: Optional[int] = None, to: Optional[str] = None,
                       type_: Optional[str] = None) -> None:
        attrs = (f" to='{to}'" if to else "") + (f" type='{type_}'" if type_ else "")
        kids = ((f"<show>{show}</show>" if show else "") + (f"<status>{xml_escape(status)}</status>" if status else "")
                + (f"<priority>{priority}</priority>" if priority is not None else ""))
        await self.send(f"<presence{attrs}>{kids}</presence>" if kids else f"<presence{attrs}/>")

    async def ack_request(self, timeout: Optional[float] = None) -> int:
        """Send <r/> and return h from the server's <a/>."""
        await self.send(f"<r xmlns='{NS_SM}'/>")
        a = await self.next_tag(NS_SM, "a", timeout)
        return int(a.get("h"))


_open: list["RawXmpp"] = []


def _track(c: RawXmpp) -> None:
    """Connections still open when a test's event loop ends are dropped then (see impd_harness)."""
    if not _open:
        try:
            import impd_harness
            impd_harness.on_loop_exit(_drop_all)
        except ImportError:
            pass
    _open.append(c)


async def _drop_all() -> None:
    conns, _open[:] = list(_open), []
    for c in conns:
        if not c.writer.is_closing():
            c.abort(rst=False)


def stanza_error_condition(el: ET.Element) -> Optional[str]:
    err = el.find(q(NS_CLIENT, "error"))
    if err is None:
        return None
    for child in err:
        if child.tag.startswith("{" + NS_STANZA_ERR + "}") and local_name(child.tag) != "text":
            return local_name(child.tag)
    return ""


def body_of(el: ET.Element) -> Optional[str]:
    b = el.find(q(NS_CLIENT, "body"))
    return b.text if b is not None else None


# --- SCRAM (RFC 5802 / RFC 7677), client side, no channel binding --------------------------------

class ScramClient:
    def __init__(self, hash_name: str, user: str, password: str) -> None:
        self.hash = {"SHA-1": "sha1", "SHA-256": "sha256", "SHA-512": "sha512"}[hash_name.upper()]
        self.user = user.replace("=", "=3D").replace(",", "=2C")
        self.password = password.encode()
        self.cnonce = base64.b64encode(os.urandom(18)).decode()
        self.gs2 = "n,,"
        self.first_bare = f"n={self.user},r={self.cnonce}"
        self.auth_message = ""
        self.salted = b""

    def client_first(self) -> bytes:
        return (self.gs2 + self.first_bare).encode()

    def _hmac(self, key: bytes, msg: bytes) -> bytes:
        return hmac.new(key, msg, self.hash).digest()

    def client_final(self, server_first: bytes) -> bytes:
        sf = server_first.decode()
        attrs = dict(kv.split("=", 1) for kv in sf.split(",") if "=" in kv)
        nonce, salt, iters = attrs["r"], base64.b64decode(attrs["s"]), int(attrs["i"])
        if not nonce.startswith(self.cnonce):
            raise AssertionError(f"server nonce {nonce!r} does not extend ours {self.cnonce!r}")
        if iters < 4096:
            raise AssertionError(f"SCRAM iteration count {iters} is below 4096")
        self.salted = hashlib.pbkdf2_hmac(self.hash, self.password, salt, iters)
        client_key = self._hmac(self.salted, b"Client Key")
        stored_key = hashlib.new(self.hash, client_key).digest()
        without_proof = f"c={base64.b64encode(self.gs2.encode()).decode()},r={nonce}"
        self.auth_message = f"{self.first_bare},{sf},{without_proof}"
        sig = self._hmac(stored_key, self.auth_message.encode())
        proof = bytes(a ^ b for a, b in zip(client_key, sig))
        return f"{without_proof},p={base64.b64encode(proof).decode()}".encode()

    def verify_server_final(self, data: bytes) -> None:
        text = data.decode()
        if not text.startswith("v="):
            raise AssertionError(f"SCRAM server-final has no verifier: {text!r}")
        server_key = self._hmac(self.salted, b"Server Key")
        expected = self._hmac(server_key, self.auth_message.encode())
        if base64.b64decode(text[2:]) != expected:
            raise AssertionError("SCRAM server signature does not verify")
