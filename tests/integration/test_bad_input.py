"""Hostile and broken input: every attack closes at most its own stream.

Each test signs in a well-behaved pair of clients first and checks they still chat after (and
for slow attacks, during) the attack. The server runs with tls = "optional" so most attacks are
plain TCP, and with small limits so they trigger quickly.
"""

from __future__ import annotations

import asyncio

import pytest

import xmpp_client as xc
from impd_harness import DEFAULT_PASSWORD, c2s
from raw_xmpp import AuthFailed, RawXmpp, stream_header

MAX_STANZA = 16384
NEGOTIATION_TIMEOUT = 2

IMPD_CONFIG = c2s(tls="optional", max_stanza_bytes=MAX_STANZA, negotiation_timeout=NEGOTIATION_TIMEOUT,
                  bytes_per_second=262144)

ATTACKER_IP = "127.0.0.251"     # never a server address (those are 127.0.0.20-219)
ATTACKER_IP2 = "127.0.0.252"


class GoodPair:
    """Two users who keep chatting while someone else misbehaves."""

    def __init__(self, srv) -> None:
        self.srv = srv
        self.n = 0

    async def start(self, keepalive: float | None = None) -> "GoodPair":
        self.srv.add_users("carol", "dave")
        self.carol = await xc.login(self.srv, "carol", resource="good", keepalive=keepalive)
        self.dave = await xc.login(self.srv, "dave", resource="good", keepalive=keepalive)
        await self.check("before")
        return self

    async def check(self, when: str) -> None:
        self.n += 1
        await xc.chat_roundtrip(self.carol, self.dave, f"still here ({when}, #{self.n})", timeout=5)
        assert not self.carol.errors and not self.dave.errors, (self.carol.errors, self.dave.errors)


async def attacker(srv, source: str | None = ATTACKER_IP) -> RawXmpp:
    return await RawXmpp.connect(*srv.c2s, ssl_ctx=srv.ssl_context(), source=source)


async def expect_stream_error_and_close(c: RawXmpp, conditions: tuple[str, ...], timeout: float = 5.0) -> str:
    cond = await c.stream_error(timeout=timeout)
    assert cond in conditions, f"stream error <{cond}/>, expected one of {conditions}; got {c.received[-800:]!r}"
    await c.expect_closed(timeout=timeout)
    return cond


# --- malformed XML ------------------------------------------------------------------------------

MALFORMED = {
    "mismatched-tags": b"<message to='dave@imp.test'><body>hi</message>",
    "duplicate-attribute": b"<message to='a@imp.test' to='b@imp.test'/>",
    "bad-utf8": b"<message><body>\xff\xfe\xc3\x28</body></message>",
    "bad-name": b"<1message/>",
    "undefined-entity": b"<message><body>&nosuch;</body></message>",
    "stray-close": b"</message>",
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_malformed_xml_before_auth(impd_server, case):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    await c.open_stream()
    await c.send(MALFORMED[case], tolerate_close=True)
    allowed = ("not-well-formed", "restricted-xml") if case == "undefined-entity" else ("not-well-formed",)
    await expect_stream_error_and_close(c, allowed)
    await good.check("after")


async def test_malformed_xml_after_auth(impd_server):
    good = await GoodPair(impd_server).start()
    impd_server.add_user("mallory")
    c = await attacker(impd_server)
    await c.login("mallory", DEFAULT_PASSWORD, resource="m")
    await c.send(b"<message to='dave@imp.test/good' type='chat'><body>half</bdy></message>",
                 tolerate_close=True)
    await expect_stream_error_and_close(c, ("not-well-formed",))
    await good.dave.messages.expect_none(lambda m: xc.body(m) == "half", within=0.3)
    await good.check("after")


async def test_http_request_on_xmpp_port(impd_server):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    await c.send(b"GET / HTTP/1.1\r\nHost: imp.test\r\n\r\n", tolerate_close=True)
    # the server may answer with a stream error or just close; it must not hang on
    try:
        cond = await c.stream_error(timeout=5)
        assert cond in ("not-well-formed", "bad-format", "invalid-namespace", "unsupported-version"), cond
    except AssertionError:
        if not c.closed:
            raise
    await c.expect_closed(timeout=5)
    await good.check("after")


async def test_wrong_stream_namespace(impd_server):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    await c.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='urn:not:streams' "
                 "to='imp.test' version='1.0'>", tolerate_close=True)
    await expect_stream_error_and_close(c, ("invalid-namespace",))
    await good.check("after")


async def test_unknown_host(impd_server):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    await c.send(stream_header("nope.test"), tolerate_close=True)
    await expect_stream_error_and_close(c, ("host-unknown",))
    await good.check("after")


# --- restricted XML: DTDs, entities, comments, processing instructions --------------------------

BILLION_LAUGHS = (
    "<?xml version='1.0'?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
    + "".join(f" <!ENTITY lol{i} \"{('&lol' + (str(i - 1) if i > 1 else '') + ';') * 10}\">\n" for i in range(1, 10))
    + "]>\n"
)


async def test_billion_laughs_before_stream_header(impd_server):
    good = await GoodPair(impd_server).start()
    rss_before = impd_server.rss_kb()
    c = await attacker(impd_server)
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    await c.send(BILLION_LAUGHS + stream_header("imp.test").split("?>", 1)[1]
                 + "<message to='dave@imp.test'><body>&lol9;</body></message>", tolerate_close=True)
    await expect_stream_error_and_close(c, ("restricted-xml",), timeout=5)
    assert loop.time() - t0 < 3, "the DTD should be refused at once"
    growth = impd_server.rss_kb() - rss_before
    assert growth < 64 * 1024, f"impd grew by {growth} KB on an XML bomb"
    await good.check("after")


@pytest.mark.parametrize("payload", [
    "<!DOCTYPE foo [<!ENTITY x 'y'>]>",
    "<!-- a comment -->",
    "<?php echo 1; ?>",
    "<message><body><![CDATA[cdata is fine but]]>&#0;</body></message>",
], ids=["doctype-inside", "comment", "processing-instruction", "nul-charref"])
async def test_restricted_xml_inside_stream(impd_server, payload):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    await c.open_stream()
    await c.send(payload, tolerate_close=True)
    await expect_stream_error_and_close(c, ("restricted-xml", "not-well-formed"))
    await good.check("after")


# --- size limits --------------------------------------------------------------------------------

async def test_oversized_unclosed_stanza_before_auth(impd_server):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    await c.open_stream()
    await c.send("<message to='dave@imp.test'><body>" + "A" * (MAX_STANZA + 4096), tolerate_close=True)
    await expect_stream_error_and_close(c, ("policy-violation",))
    await good.check("after")


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "never-closed"])
async def test_oversized_stanza_after_auth(impd_server, closed):
    good = await GoodPair(impd_server).start()
    impd_server.add_user("mallory")
    c = await attacker(impd_server)
    await c.login("mallory", DEFAULT_PASSWORD, resource="m")
    big = "B" * (MAX_STANZA + 1024)
    stanza = f"<message to='dave@imp.test/good' type='chat'><body>{big}"
    if closed:
        stanza += "</body></message>"
    rss_before = impd_server.rss_kb()
    await c.send(stanza, tolerate_close=True)
    if not closed:   # keep feeding: the server must cut us off rather than buffer forever
        for _ in range(20):
            if c.closed or not await c.send("C" * 8192, tolerate_close=True):
                break
    await expect_stream_error_and_close(c, ("policy-violation",))
    await good.dave.messages.expect_none(lambda m: (xc.body(m) or "").startswith("BBBB"), within=0.3)
    assert impd_server.rss_kb() - rss_before < 64 * 1024
    await good.check("after")


async def test_huge_attribute_and_deep_nesting(impd_server):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    await c.open_stream()
    await c.send("<message to='" + "x" * (MAX_STANZA + 100) + "'/>", tolerate_close=True)
    await expect_stream_error_and_close(c, ("policy-violation",))

    c = await attacker(impd_server)
    await c.open_stream()
    await c.send("<a>" * 3000, tolerate_close=True)
    await expect_stream_error_and_close(c, ("policy-violation", "restricted-xml", "not-well-formed"))
    await good.check("after")


async def test_stanza_just_under_the_limit_is_delivered(impd_server):
    good = await GoodPair(impd_server).start()
    text = "D" * (MAX_STANZA - 1024)
    good.carol.message(good.dave.jid, text)
    await good.dave.expect_message(frm=good.carol.jid, body_=text)
    await good.check("after")


# --- slow and idle clients ----------------------------------------------------------------------

async def test_slow_sender_during_negotiation_is_cut(impd_server):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    await c.open_stream()
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    auth = ("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
            + "biwsbj1tYWxsb3J5LHI9" * 10 + "</auth>")
    slow = asyncio.ensure_future(c.send_slowly(auth, 0.1))
    await asyncio.sleep(0.5)
    await good.check("during")
    await c.expect_closed(timeout=NEGOTIATION_TIMEOUT + 5)
    sent = await slow
    elapsed = loop.time() - t0
    assert sent < len(auth), "the slow sender was never cut off"
    assert elapsed < NEGOTIATION_TIMEOUT + 4, f"cut after {elapsed:.1f} s"
    await good.check("after")


async def test_slow_stream_header_is_cut(impd_server):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    header = stream_header("imp.test")
    slow = asyncio.ensure_future(c.send_slowly(header * 3, 0.1))
    await c.expect_closed(timeout=NEGOTIATION_TIMEOUT + 5)
    assert await slow < len(header) * 3
    await good.check("after")


@pytest.mark.parametrize("stage", ["tcp", "stream-header"])
async def test_idle_before_auth_is_cut(impd_server, stage):
    good = await GoodPair(impd_server).start()
    c = await attacker(impd_server)
    if stage == "stream-header":
        await c.open_stream()
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    await c.expect_closed(timeout=NEGOTIATION_TIMEOUT + 5)
    assert loop.time() - t0 >= NEGOTIATION_TIMEOUT - 0.5, "closed before the negotiation timeout"
    await good.check("after")


IDLE_TIMEOUT = 3


@pytest.mark.impd_config(c2s(idle_timeout=IDLE_TIMEOUT, keepalive=1))
@pytest.mark.timeout_s(90)
async def test_idle_after_auth_is_cut(impd_server):
    good = await GoodPair(impd_server).start(keepalive=1)
    impd_server.add_user("sleepy")
    c = await attacker(impd_server)
    c.auto_ack = False
    await c.login("sleepy", DEFAULT_PASSWORD, resource="zzz")
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    await c.expect_closed(timeout=IDLE_TIMEOUT + 1 + 5)
    elapsed = loop.time() - t0
    assert elapsed >= IDLE_TIMEOUT - 0.5, f"closed after {elapsed:.1f} s, before the idle timeout"
    await good.check("after idle cut (good clients send whitespace keepalives)")


# --- floods -------------------------------------------------------------------------------------

@pytest.mark.timeout_s(120)
async def test_wrong_password_storm_is_throttled(impd_server):
    good = await GoodPair(impd_server).start()
    impd_server.add_user("victim", "the-real-password")
    per_conn = impd_server.c2s_setting("auth_failures_before_close")
    per_minute = impd_server.c2s_setting("auth_failures_per_ip_per_minute")
    outcomes: list[str] = []

    async def one_connection(i: int) -> None:
        try:
            c = await attacker(impd_server)
            await c.open_stream()
            await c.starttls()
        except (AssertionError, OSError, asyncio.TimeoutError) as e:
            outcomes.append(f"refused:{type(e).__name__}")
            return
        for k in range(per_conn):
            try:
                await c.auth_plain("victim", f"guess-{i}-{k}")
                outcomes.append("ACCEPTED")
            except AuthFailed as e:
                outcomes.append(e.condition or "failure")
            except AssertionError:
                outcomes.append("closed")
                break
        await c.close(timeout=1)

    total = per_minute + 3 * per_conn
    conns = (total + per_conn - 1) // per_conn
    for batch in range(0, conns, 4):
        await asyncio.gather(*(one_connection(i) for i in range(batch, min(batch + 4, conns))))
    assert "ACCEPTED" not in outcomes

    # the attacking address is throttled now: even the right password does not get in
    try:
        c = await attacker(impd_server)
        await c.login("victim", "the-real-password", resource="x", starttls=True)
        pytest.fail(f"login from a throttled address succeeded (outcomes: {outcomes})")
    except (AuthFailed, AssertionError, OSError, asyncio.TimeoutError):
        pass

    # other addresses are not affected
    ok = await RawXmpp.connect(*impd_server.c2s, ssl_ctx=impd_server.ssl_context(), source="127.0.0.1")
    await ok.login("victim", "the-real-password", resource="legit", starttls=True)
    await ok.close()
    await good.check("after")


@pytest.mark.impd_config(c2s(max_connections_per_ip=5, negotiation_timeout=15))
async def test_connections_per_ip_limit(impd_server):
    good = await GoodPair(impd_server).start()
    held = []
    for _ in range(5):
        c = await attacker(impd_server, source=ATTACKER_IP2)
        await c.open_stream()
        held.append(c)
    extra = await attacker(impd_server, source=ATTACKER_IP2)
    try:
        await extra.send(stream_header("imp.test"), tolerate_close=True)
    except OSError:
        pass
    await extra.expect_closed(timeout=5)
    assert "features" not in extra.received, f"the connection over the limit was served: {extra.received!r}"
    await good.check("at the limit")

    await held.pop().close()
    await asyncio.sleep(0.3)
    again = await attacker(impd_server, source=ATTACKER_IP2)
    await again.open_stream()
    held.append(again)
    for c in held:
        await c.close()
    await good.check("after")


@pytest.mark.timeout_s(90)
async def test_flood_is_rate_limited_not_fatal(impd_server):
    """bytes_per_second slows a flooding client down; nobody else notices."""
    good = await GoodPair(impd_server).start()
    impd_server.add_user("flood")
    c = await attacker(impd_server)
    await c.login("flood", DEFAULT_PASSWORD, resource="f")
    chunk = "".join(f"<message to='flood@imp.test/nowhere' type='headline'><body>{'F' * 900}</body></message>"
                    for _ in range(64))
    total = 1024 * 1024
    loop = asyncio.get_running_loop()
    t0 = loop.time()

    async def flood():
        sent = 0
        while sent < total:
            await c.send(chunk)
            sent += len(chunk)

    task = asyncio.ensure_future(flood())
    await asyncio.sleep(0.5)
    t_chat = loop.time()
    await good.check("during the flood")
    assert loop.time() - t_chat < 3, "the flood slowed other users down"
    await asyncio.wait_for(task, 30)
    reply = await c.iq("get", "<ping xmlns='urn:xmpp:ping'/>", to="imp.test", timeout=30)
    elapsed = loop.time() - t0
    assert reply.get("type") == "result"
    assert elapsed >= 2.0, f"1 MiB accepted in {elapsed:.1f} s although bytes_per_second = 262144"
    await c.close()
    await good.check("after")
