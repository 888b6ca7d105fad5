"""The SIP<->XMPP gateway federated with a real SIP presence server: Kamailio 5.6 (Debian's
kamailio, kamailio-presence-modules, kamailio-tls-modules) serving the foreign SIMPLE domain
kam.test, over TLS with certificates both ways (kamailio_peer.py).

impd serves imp.test with a SIP TLS listener and federates kam.test (profile generic) with
Kamailio's TLS listener as static route; both certificates come from one test CA that both
trust. Kamailio presents kam.test as server and as client, and refuses anything from imp.test
that does not come over TLS with a verified certificate. carol@kam.test is a SIMPLE user
agent played by sipp over UDP to Kamailio's plain port (Debian's sipp has no TLS); alice is a
local user on slixmpp.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import certs
import impd_harness
import kamailio_peer
import xmpp_client
from xmpp_client import body, show, status, stype

HOST = impd_harness.module_host(__name__)
LOCAL, KAM, OTHER = "imp.test", "kam.test", "other.test"
CAROL = f"carol@{KAM}"
HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "kamailio"
PAGE_INBOUND = HERE / "sipp" / "gateway" / "page_inbound.xml"
SIPP_TIMEOUT = 30.0
WAIT = 10.0   # a NOTIFY may wait for a TLS connection to be made first


@dataclass
class Federation:
    impd: impd_harness.ImpdServer
    kam: kamailio_peer.KamailioPeer
    folder: Path
    runs: int = 0

    async def sipp(self, scenario: Path, **keys: str) -> str:
        """One call of a sipp UAC scenario against Kamailio's UDP listener; fails with sipp's
        traces unless it passed. Returns what the scenario's <log> actions wrote."""
        self.runs += 1
        work = self.folder / f"sipp{self.runs}-{scenario.stem}"
        work.mkdir(parents=True)
        port = kamailio_peer.free_sip_port(HOST, avoid=self.impd.ports | {self.kam.port, self.kam.tls_port})
        cmd = ["sipp", "-sf", str(scenario), "-t", "u1", "-i", HOST, "-p", str(port), "-m", "1",
               "-timeout", f"{int(SIPP_TIMEOUT) - 10}s", "-timeout_error", "-recv_timeout", "10000",
               "-nostdin", "-trace_err", "-trace_msg", "-trace_logs"]
        for name, value in keys.items():
            cmd += ["-key", name, value]
        cmd.append("%s:%d" % self.kam.sip)
        try:
            res = await asyncio.to_thread(subprocess.run, cmd, cwd=work, capture_output=True, text=True,
                                          timeout=SIPP_TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:  # run() has killed sipp already
            raise AssertionError(f"sipp {scenario.name} did not finish") from e
        traces = {p.name: p.read_text(errors="replace") for p in sorted(work.glob("*"))}
        assert res.returncode == 0, (
            f"sipp {scenario.name} exited {res.returncode}\n"
            + "\n".join(f"--- {name} ---\n{text[-4000:]}" for name, text in traces.items())
            + f"\n--- sipp output ---\n{res.stdout[-2000:]}{res.stderr[-2000:]}")
        return "".join(text for name, text in traces.items() if name.endswith("_logs.log"))

    async def kamailio_logged(self, text: str, timeout: float = WAIT) -> str:
        """Waits until Kamailio's log holds `text`; returns the log line."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for line in self.kam.log().splitlines():
                if text in line:
                    return line
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"Kamailio did not log {text!r} within {timeout:.0f} s")
            await asyncio.sleep(0.1)


@pytest.fixture
def fed(impd_factory, tmp_path, request):
    """impd (imp.test, SIP over TLS only) and Kamailio (kam.test) federated with each other.
    Indirect parameter: the name in Kamailio's certificate (kam.test unless given)."""
    if shutil.which("sipp") is None:
        raise impd_harness.HarnessError("sipp is missing: install Debian's sip-tester (scripts/deps.sh test)")
    kamailio_peer.require_kamailio()
    ca = certs.CertAuthority(tmp_path / "ca")
    own = ca.issue(LOCAL, xmpp_addr=False)
    kam_cert = ca.issue(getattr(request, "param", KAM), tmp_path / "kam-cert", xmpp_addr=False)
    srv = impd_factory({
        "tls": {"certificate": str(own.cert), "key": str(own.key), "ca_file": str(ca.cert_path)},
        # The route to kam.test is an address, so impd has nothing to look up; should it try,
        # the question goes to a loopback address where nobody answers, not off this machine.
        "dns": {"servers": [f"{HOST}:53"]},
    }, start=False)
    impd_tls, kam_tls = impd_harness.free_ports(HOST, 2, avoid=srv.ports)
    srv.ports |= {impd_tls, kam_tls}
    kam_port = kamailio_peer.free_sip_port(HOST, avoid=srv.ports)
    srv.ports.add(kam_port)
    kam = kamailio_peer.KamailioPeer(KAM, tmp_path / "kamailio", host=HOST, cert=kam_cert, cafile=ca.cert_path,
                                     impd_domain=LOCAL, impd_tls=(HOST, impd_tls), tls_port=kam_tls, port=kam_port)
    request.node._impd_servers.append(kam)   # its log goes into failure reports with impd's
    srv.config["sip"] = {
        "listen": [f"tls://{HOST}:{impd_tls}"],
        "federated_domain": [{"domain": KAM, "profile": "generic", "route": kam.route}],
    }
    srv.write_config()
    kam.start()
    try:
        srv.start()
        srv.add_users("alice")
        yield Federation(srv, kam, tmp_path / "sipp")
        # impd first: whatever it still sends while it drains finds Kamailio up.
        srv.stop_and_check()
    finally:
        kam.stop()


def logged(logs: str, label: str) -> str:
    """The text a scenario logged between '<label> ' and 'end-<label>'."""
    start = logs.index(label + " ")
    return logs[start + len(label) + 1:logs.index("end-" + label, start)]


def from_carol(p) -> bool:
    return xmpp_client.bare(xmpp_client.attr(p, "from")) == CAROL


@pytest.mark.timeout_s(90)
async def test_presence_published_at_kamailio_reaches_a_local_watcher_over_mutual_tls(fed):
    first = await fed.sipp(SCENARIOS / "publish.xml", user="carol", domain=KAM, basic="open", note="at her desk")
    etag = logged(first, "etag").strip()
    assert etag, first

    alice = await xmpp_client.login(fed.impd, "alice")
    alice.presence(to=CAROL, type_="subscribe")
    await alice.expect_presence(CAROL, "subscribed", timeout=WAIT)
    online = await alice.expect_presence(CAROL, timeout=WAIT)
    assert show(online) is None and status(online) == "at her desk", xmpp_client.dump(online)
    # Both directions were TLS with certificates: impd's SUBSCRIBE came in over TLS with a
    # client certificate Kamailio verified, and Kamailio's NOTIFY (on a connection it opened
    # to impd's listener) was admitted, which impd does for kam.test only with a client
    # certificate naming it.
    line = await fed.kamailio_logged(f"kam-peer: got SUBSCRIBE sip:{CAROL}")
    assert "over tls" in line, line
    await fed.kamailio_logged(f"kam-peer: {LOCAL} proved by its certificate")
    assert "answered 200" in await fed.kamailio_logged("kam-peer: NOTIFY state [active")

    await fed.sipp(SCENARIOS / "publish_modify.xml", user="carol", domain=KAM, etag=etag, basic="closed",
                   note="gone home")
    gone = await alice.presences.expect(
        lambda p: from_carol(p) and (stype(p) == "unavailable" or show(p) in ("away", "xa")),
        WAIT, "carol's change to closed")
    assert stype(gone) == "unavailable" or status(gone) == "gone home", xmpp_client.dump(gone)

    # Removing carol ends the SIP subscription inside its dialog; Kamailio's final NOTIFY
    # (terminated) is answered, and impd does not subscribe again.
    await alice.roster_remove(CAROL)
    ended = await fed.kamailio_logged("kam-peer: NOTIFY state [terminated")
    assert ended.endswith("answered 200"), ended
    await asyncio.sleep(1.0)
    subscribes = [l for l in fed.kam.log().splitlines() if "kam-peer: got SUBSCRIBE" in l]
    assert len(subscribes) == 2 and f"sip:{CAROL}" not in subscribes[1], "\n".join(subscribes)
    await alice.close()


@pytest.mark.timeout_s(90)
async def test_page_mode_messages_both_ways_through_kamailio(fed):
    alice = await xmpp_client.login(fed.impd, "alice")
    # alice's page: impd opens TLS to Kamailio (whose certificate must name kam.test) and sends
    # a MESSAGE, which Kamailio takes for carol itself.
    alice.message(CAROL, "a page to kamailio")
    line = await fed.kamailio_logged("body [a page to kamailio")
    assert f"from sip:alice@{LOCAL}" in line and f"to sip:{CAROL}" in line, line
    await alice.messages.expect_none(lambda m: stype(m) == "error", 1.0, "error for the page")

    # carol's page goes to Kamailio over UDP; Kamailio relays it to impd's listener over TLS.
    logs = await fed.sipp(PAGE_INBOUND, from_domain=KAM, to_domain=LOCAL, to_user="alice")
    assert "accepted 200" in logs, logs
    page = await alice.expect_message(lambda m: (body(m) or "").strip() == "a page from a SIMPLE peer",
                                      frm=CAROL, timeout=WAIT)
    assert stype(page) == "chat"
    relayed = await fed.kamailio_logged(f"kam-peer: got MESSAGE sip:alice@{LOCAL}")
    assert "over udp" in relayed, relayed
    await alice.close()


@pytest.mark.parametrize("fed", [OTHER], indirect=True)
async def test_kamailio_whose_certificate_names_another_domain_gets_nothing(fed):
    """The certificate check is real: signed by the trusted CA but naming other.test, Kamailio
    is not taken for kam.test in either direction."""
    alice = await xmpp_client.login(fed.impd, "alice")
    alice.message(CAROL, "not for an impostor")
    error = await alice.expect_message(frm=CAROL, type_="error", timeout=WAIT)
    # impd refused Kamailio's server certificate, so no server of kam.test answered.
    assert xmpp_client.error_condition(error) == "remote-server-not-found", xmpp_client.dump(error)
    assert "not for an impostor" not in fed.kam.log()

    logs = await fed.sipp(SCENARIOS / "page_refused.xml", from_domain=KAM, to_domain=LOCAL, to_user="alice")
    assert f"does not name {KAM}" in logged(logs, "warning"), logs
    await alice.messages.expect_none(lambda m: stype(m) != "error", 1.0, "a page through an impostor")
    await alice.close()
