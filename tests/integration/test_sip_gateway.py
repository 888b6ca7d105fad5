"""The SIP<->XMPP gateway end to end: sipp (Debian's sip-tester) plays a Lync-style federated
edge (lync.test, profile lync: IM sessions) and a plain SIMPLE peer (lab.test, profile generic:
page-mode MESSAGE), slixmpp clients are the local users of imp.test.

Each sipp scenario under sipp/gateway/ runs in the background while the test drives the XMPP
side; what sipp received (Subscription-State values, PIDF bodies, message texts) is logged by the
scenario and checked here.
"""

from __future__ import annotations

import asyncio
import base64
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Optional

import pytest

import impd_harness
import xmpp_client
from xmpp_client import body, error_condition, show, status, stype

NS_BLOCKING = "urn:xmpp:blocking"

HOST = impd_harness.module_host(__name__)
SPOOF_HOST = HOST.rsplit(".", 1)[0] + "." + str(int(HOST.rsplit(".", 1)[1]) + 1)
SIPP_DIR = Path(__file__).resolve().parent / "sipp" / "gateway"
LOCAL, LYNC, LAB = "imp.test", "lync.test", "lab.test"
BOB = f"bob@{LYNC}"
SIPP_TIMEOUT = 60.0


@pytest.fixture
def gateway(impd_factory):
    """impd with one UDP SIP listener and two SIP-federated domains whose static route is the
    port sipp listens on; alice and dave are local users."""
    if shutil.which("sipp") is None:
        raise impd_harness.HarnessError("sipp is missing: install Debian's sip-tester (scripts/deps.sh test)")
    srv = impd_factory(start=False)
    sip_port, peer_port = impd_harness.free_ports(HOST, 2, avoid=srv.ports)
    srv.config["sip"] = {
        "listen": [f"udp://{HOST}:{sip_port}"],
        "federated_domain": [
            {"domain": LYNC, "profile": "lync", "route": f"udp://{HOST}:{peer_port}"},
            {"domain": LAB, "profile": "generic", "route": f"udp://{HOST}:{peer_port}"},
        ],
    }
    srv.ports |= {sip_port, peer_port}
    srv.write_config()
    srv.start()
    srv.add_users("alice", "dave")
    srv.sip_address = (HOST, sip_port)
    srv.peer_port = peer_port
    return srv


class Sipp:
    """One sipp call of a scenario, running while the test acts; finish() returns its log."""

    def __init__(self, server, work: Path, scenario: str, *, uac: bool, host: str = HOST, **keys: str):
        self.scenario = scenario
        self.work = work / Path(scenario).stem
        self.work.mkdir(parents=True, exist_ok=True)
        keys = {"from_domain": LYNC, "to_domain": LOCAL, "to_user": "alice", **keys}
        port = server.peer_port if host == HOST else impd_harness.free_ports(host, 1)[0]
        cmd = ["sipp", "-sf", str(SIPP_DIR / scenario), "-t", "u1", "-i", host, "-p", str(port),
               "-m", "1", "-timeout", f"{int(SIPP_TIMEOUT) - 10}s", "-timeout_error", "-nostdin",
               "-trace_err", "-trace_msg", "-trace_logs"]
        for name, value in keys.items():
            cmd += ["-key", name, value]
        if uac:
            cmd.append("%s:%d" % server.sip_address)
        self.proc = subprocess.Popen(cmd, cwd=self.work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)

    async def finish(self, timeout: float = SIPP_TIMEOUT) -> str:
        try:
            out, _ = await asyncio.to_thread(self.proc.communicate, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        traces = {p.name: p.read_text(errors="replace") for p in sorted(self.work.glob("*"))}
        assert self.proc.returncode == 0, (
            f"sipp {self.scenario} exited {self.proc.returncode}\n"
            + "\n".join(f"--- {name} ---\n{text[-6000:]}" for name, text in traces.items())
            + f"\n--- sipp output ---\n{(out or '')[-2000:]}")
        return "".join(text for name, text in traces.items() if name.endswith("_logs.log"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


@pytest.fixture
def sipp(gateway, tmp_path):
    runs: list[Sipp] = []

    def start(scenario: str, *, uac: bool, **keys: str) -> Sipp:
        run = Sipp(gateway, tmp_path / f"sipp{len(runs)}", scenario, uac=uac, **keys)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.stop()


def says(text: str):
    """Matches a message whose body is `text` (sipp ends the bodies it sends with a newline)."""
    return lambda m: (body(m) or "").strip() == text


def logged(logs: str, label: str) -> str:
    """The text a scenario logged between '<label> ' and 'end-<label>'."""
    start = logs.index(label + " ")
    return logs[start + len(label) + 1:logs.index("end-" + label, start)]


# --- presence: a SIP watcher subscribes to a local user ------------------------------------------

async def test_sip_watcher_is_pending_until_the_user_approves_then_sees_every_change(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    run = sipp("watch_pending.xml", uac=True)
    request = await alice.expect_presence(BOB, "subscribe")
    assert stype(request) == "subscribe"
    alice.presence(to=BOB, type_="subscribed")
    await asyncio.sleep(0.5)
    alice.presence(show="away", status="at lunch")
    logs = await run.finish()

    first = logged(logs, "first")
    assert "pending" in first and "<basic>" not in first, "a pending watcher sees no state"
    decided = logged(logs, "decided")
    assert "active" in decided and "<basic>open</basic>" in decided
    changed = logged(logs, "changed")
    assert "away" in changed and "at lunch" in changed, changed
    assert "active" in logged(logs, "refreshed")
    ended = logged(logs, "ended")
    assert "terminated" in ended
    # Ending the SIP subscription leaves the roster relationship in place.
    roster = await alice.roster_get()
    item = xmpp_client.roster_items(roster).get(BOB)
    assert item is not None and item.get("subscription") in ("from", "both")
    await alice.close()


async def test_denied_sip_watcher_sees_the_user_offline_and_is_not_asked_again(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    alice.presence(status="free to talk")
    run = sipp("watch_denied.xml", uac=True)
    await alice.expect_presence(BOB, "subscribe")
    alice.presence(to=BOB, type_="unsubscribed")
    logs = await run.finish()
    decided = logged(logs, "decided")
    # The seed's polite blocking: active, offline, nothing of the user's state.
    assert "active" in decided and "<basic>closed</basic>" in decided and "free" not in decided
    assert "free" not in logged(logs, "ended")
    await alice.close()


@pytest.mark.parametrize("answer", ["subscribed", "unsubscribed"])
async def test_a_decided_watcher_subscribing_again_gets_the_answer_at_once(gateway, sipp, answer):
    alice = await xmpp_client.login(gateway, "alice", status_="in the office")
    first = sipp("watch_once.xml", uac=True)
    await alice.expect_presence(BOB, "subscribe")
    alice.presence(to=BOB, type_=answer)
    await first.finish()
    await alice.close()
    gateway.restart()  # the answer is kept: in the roster, or as a polite block in the policy

    alice = await xmpp_client.login(gateway, "alice", status_="in the office")
    again = sipp("watch_once.xml", uac=True)
    logs = await again.finish()
    state = logged(logs, "first")
    assert "active" in state
    if answer == "subscribed":
        assert "<basic>open</basic>" in state and "in the office" in state
    else:
        assert "<basic>closed</basic>" in state and "office" not in state
    await alice.presences.expect_none(lambda p: stype(p) == "subscribe", 1.0, "a second request")
    await alice.close()


async def test_sip_watchers_dialog_is_resumed_after_a_restart(gateway, sipp):
    """The seed's blind spot: Lync refreshes every 105 minutes, so a notifier that forgets its
    watchers on restart leaves them without presence for up to two hours. impd keeps the dialog
    and goes on NOTIFYing in it at once."""
    alice = await xmpp_client.login(gateway, "alice", status_="before the restart")
    run = sipp("watch_resume.xml", uac=True)
    await alice.expect_presence(BOB, "subscribe")
    alice.presence(to=BOB, type_="subscribed")
    await asyncio.sleep(1.0)
    gateway.restart()  # alice's session goes with it
    logs = await run.finish()
    assert "<basic>open</basic>" in logged(logs, "decided")
    resumed = logged(logs, "resumed")
    assert "active" in resumed and "<basic>closed</basic>" in resumed, "alice is offline now"
    assert "active" in logged(logs, "refreshed"), "the refresh found the dialog after the restart"
    assert "terminated" in logged(logs, "ended")


async def test_subscription_for_an_unknown_user_gets_404(gateway, sipp):
    await sipp("watch_unknown.xml", uac=True, to_user="nobody").finish()


async def test_blocking_a_watchers_domain_later_shows_the_user_offline(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice", status_="visible")
    run = sipp("watch_blocked.xml", uac=True)
    await alice.expect_presence(BOB, "subscribe")
    alice.presence(to=BOB, type_="subscribed")
    await asyncio.sleep(0.5)
    block = ET.Element(f"{{{NS_BLOCKING}}}block")
    ET.SubElement(block, f"{{{NS_BLOCKING}}}item", {"jid": LYNC})
    await alice.iq("set", block)
    await asyncio.sleep(0.3)
    # While sipp pauses, a change that must not reach the blocked domain (sipp fails on any
    # NOTIFY it does not expect).
    alice.presence(show="chat", status="still here")
    logs = await run.finish()
    assert "<basic>open</basic>" in logged(logs, "decided")
    blocked = logged(logs, "blocked")
    assert "active" in blocked and "<basic>closed</basic>" in blocked and "visible" not in blocked
    assert "still here" not in logged(logs, "ended")
    await alice.close()


@pytest.mark.parametrize("domain,host,why", [
    (LYNC, SPOOF_HOST, "not the static route of lync.test"),  # a spoofed From domain
    ("evil.test", HOST, "evil.test is not a federated domain"),  # not permitted at all
])
async def test_watcher_from_a_domain_that_may_not_ask_is_refused_unseen(gateway, domain, host, why):
    alice = await xmpp_client.login(gateway, "alice")
    run = Sipp(gateway, gateway.folder / f"refused-{domain}", "watch_refused.xml", uac=True, host=host,
               from_domain=domain)
    try:
        logs = await run.finish()
    finally:
        run.stop()
    assert why in logged(logs, "warning")
    await alice.presences.expect_none(lambda p: stype(p) == "subscribe", 1.0, "a refused request")
    await alice.close()


# --- presence: a local user subscribes to a SIP user ---------------------------------------------

async def test_local_user_subscribes_to_lync_user_gets_presence_refreshes_and_unsubscribes(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    run = sipp("presentity.xml", uac=False, to_user="bob", grant="6")
    alice.presence(to=BOB, type_="subscribe")
    await alice.expect_presence(BOB, "subscribed")
    p = await alice.expect_presence(BOB)
    # The seed's table for a standard client: Lync's Busy shows as away with the text "Busy".
    assert (show(p), status(p)) == ("away", "Busy"), xmpp_client.dump(p)
    await asyncio.sleep(4)  # the 6 s grant is refreshed halfway
    await alice.roster_remove(BOB)
    logs = await run.finish()
    assert f"alice@{LOCAL}" in logged(logs, "subscribe")
    assert "0" == logged(logs, "unsubscribe").split("expires=")[1].strip()
    await alice.close()


async def test_two_local_watchers_of_one_sip_user_each_have_their_own_subscription(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    dave = await xmpp_client.login(gateway, "dave")
    first = sipp("presentity_accept.xml", uac=False, to_user="bob")
    alice.presence(to=BOB, type_="subscribe")
    assert f"alice@{LOCAL}" in logged(await first.finish(), "subscribe")
    await alice.expect_presence(BOB)
    second = sipp("presentity_accept.xml", uac=False, to_user="bob")
    dave.presence(to=BOB, type_="subscribe")
    assert f"dave@{LOCAL}" in logged(await second.finish(), "subscribe")
    await dave.expect_presence(BOB)
    await alice.close()
    await dave.close()


async def test_rejected_subscription_tells_the_watcher(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    run = sipp("presentity_reject.xml", uac=False, to_user="bob")
    alice.presence(to=BOB, type_="subscribe")
    await run.finish()
    await alice.expect_presence(BOB, "unsubscribed")
    await alice.close()


async def test_subscriptions_are_re_established_after_a_restart(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    run = sipp("presentity_accept.xml", uac=False, to_user="bob")
    alice.presence(to=BOB, type_="subscribe")
    await run.finish()
    await alice.expect_presence(BOB)
    await alice.close()

    again = sipp("presentity_accept.xml", uac=False, to_user="bob")
    gateway.restart()
    # Nobody signs in: the stored subscription is made again at start-up.
    logs = await again.finish()
    assert f"alice@{LOCAL}" in logged(logs, "subscribe")


# --- instant messages ----------------------------------------------------------------------------

async def test_lync_session_inbound_first_message_once_reply_in_the_dialog(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    run = sipp("im_inbound.xml", uac=True, body64=base64.b64encode(b"hello from lync").decode())
    first = await alice.expect_message(frm=BOB, body_="hello from lync")
    await alice.expect_message(says("second line from lync"), frm=BOB)
    alice.message(BOB, "hi bob")
    logs = await run.finish()
    assert "ms-text-format" in logged(logs, "answer")
    assert "hi bob" in logged(logs, "reply")
    await alice.expect_message(lambda m: "gone" in xmpp_client.dump(m), frm=BOB)
    # Exactly once: no second copy of the piggy-backed text.
    await alice.messages.expect_none(lambda m: body(m) == "hello from lync", 1.0, "a second copy")
    assert stype(first) == "chat"
    await alice.close()


async def test_lync_session_outbound_opens_with_invite_and_reuses_the_dialog(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    run = sipp("im_outbound.xml", uac=False, to_user="bob")
    alice.message(BOB, "first words")
    await asyncio.sleep(1.0)
    alice.message(BOB, "more words")
    reply = await alice.expect_message(says("answer from lync"), frm=BOB, timeout=20)
    logs = await run.finish()
    invite = logged(logs, "invite")
    assert "m=message" in invite and "sip null" in invite
    assert "first words" in logged(logs, "first")
    assert "more words" in logged(logs, "second")
    assert stype(reply) == "chat"
    await alice.close()


async def test_quiet_session_ends_with_bye_and_a_displayed_first_message_is_not_resent(gateway, sipp):
    gateway.config["sip"]["im_idle_timeout"] = 2
    gateway.write_config()
    gateway.restart()
    alice = await xmpp_client.login(gateway, "alice")
    run = sipp("im_idle.xml", uac=False, to_user="bob")
    alice.message(BOB, "just one line")
    logs = await run.finish()  # sipp fails on a MESSAGE it does not expect, and without the BYE
    assert "ms-body=" in logged(logs, "invite")
    await alice.close()


async def test_refused_invite_becomes_an_error_the_client_shows(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    run = sipp("invite_refused.xml", uac=False, to_user="bob")
    alice.message(BOB, "are you there?")
    await run.finish()
    error = await alice.expect_message(frm=BOB, type_="error")
    assert error_condition(error) == "recipient-unavailable"
    assert "480" in xmpp_client.dump(error)
    await alice.close()


async def test_page_mode_both_ways_with_a_simple_peer(gateway, sipp):
    alice = await xmpp_client.login(gateway, "alice")
    inbound = sipp("page_inbound.xml", uac=True, from_domain=LAB)
    message = await alice.expect_message(says("a page from a SIMPLE peer"), frm=f"carol@{LAB}")
    assert stype(message) == "chat"
    assert "refused" not in await inbound.finish()

    outbound = sipp("page_outbound.xml", uac=False, from_domain=LAB, to_user="carol")
    alice.message(f"carol@{LAB}", "a page back")
    logs = await outbound.finish()
    page = logged(logs, "page")
    assert "a page back" in page and f"alice@{LOCAL}" in page
    await alice.close()


async def test_page_for_an_unknown_user_is_refused(gateway, sipp):
    logs = await sipp("page_inbound.xml", uac=True, from_domain=LAB, to_user="nobody").finish()
    assert "refused 503" in logs


async def test_group_chat_invitation_to_a_sip_contact_is_refused(gateway):
    alice = await xmpp_client.login(gateway, "alice")
    invite = alice.make_message(mto=BOB)
    x = invite.xml.makeelement("{jabber:x:conference}x", {"jid": "room@conference.imp.test"})
    invite.xml.append(x)
    invite.send()
    error = await alice.expect_message(frm=BOB, type_="error")
    assert error_condition(error) == "feature-not-implemented"
    assert "Group chat" in xmpp_client.dump(error)
    await alice.close()
