"""Availability mapping with a federated XMPP domain (the seed's tables 8, 9 and 10) and the two
kinds of local client: a standard one, which sees <show>/<status>, and a rich one, which lists
impd's availability extension (urn:impd:availability:0) in its XEP-0115 capabilities and sees
the full state. Prosody plays a Webex-profile domain ([[xmpp.s2s.peer]] profile = "webex").
"""

from __future__ import annotations

import pytest

import prosody_peer
from impd_federation import WAIT, start_impd
import xmpp_client
from xmpp_client import NS_AVAILABILITY, NS_CAPS, NS_DISCO_INFO

federation = prosody_peer.federation  # the fixture, made visible to this module

WEBEX = "prosody.test"
RICH = [NS_CAPS, NS_DISCO_INFO, NS_AVAILABILITY]


def ext_state(p) -> str | None:
    ext = p.xml.find(f"{{{NS_AVAILABILITY}}}availability")
    return None if ext is None else ext.get("state")


@pytest.mark.timeout_s(120)
async def test_webex_profile_and_both_client_kinds(impd_factory, federation):
    prosody = federation.prosody(WEBEX, users=["bob"], s2s_secure_auth=False)
    impd = start_impd(impd_factory, federation, s2s={"peer": [{"domain": WEBEX, "profile": "webex"}]})
    alice = await xmpp_client.login(impd, "alice")                  # a standard client
    carol = await xmpp_client.login(impd, "carol", features=RICH)   # a rich client
    bob = await xmpp_client.login(prosody, "bob")
    await xmpp_client.become_friends(alice, bob, timeout=WAIT)
    await xmpp_client.become_friends(carol, bob, timeout=WAIT)

    # Table 8: Webex's "away, In a meeting" reaches a standard client as available + "In a
    # meeting", and a rich client as away with the note.
    bob.presence(show="away", status="In a meeting")
    await alice.expect_presence(bob.jid, "available", show_=None, status_="In a meeting", timeout=WAIT)
    got = await carol.expect_presence(bob.jid, "available", pred=lambda p: ext_state(p) == "away",
                                      timeout=WAIT)
    assert xmpp_client.status(got) == "In a meeting"

    # Table 9: a rich client's Busy reaches Webex as Idle (away + "Idle").
    bob.presences.clear()
    carol.presence(show="dnd", status="head down", availability="busy")
    await bob.expect_presence(carol.jid, "available", show_="away", status_="Idle", timeout=WAIT)

    # Table 10: a standard client's extended away stays extended away.
    alice.presence(show="xa", status="on leave")
    await bob.expect_presence(alice.jid, "available", show_="xa", status_="on leave", timeout=WAIT)

    # Between local users: the standard client sees the rich client's Busy as away + "Busy".
    await xmpp_client.become_friends(alice, carol, timeout=WAIT)
    alice.presences.clear()
    carol.presence(show="dnd", availability="busy")
    await alice.expect_presence(carol.jid, "available", show_="away", status_="Busy", timeout=WAIT)
