"""Self-test of the benchmark side of the peer harness: the bench profile starts, bulk
provisioning writes users that can sign in, and plain (unencrypted) c2s works when allowed.
Small counts keep it quick (10,000 users take seconds on either peer)."""

from __future__ import annotations

import pytest

import bench_profile
import prosody_peer
import xmpp_client

federation = prosody_peer.federation   # the fixture, made visible to this module

PASSWORD = "bench-Pw-1"
COUNT = 300


@pytest.mark.parametrize("kind", ["prosody", "ejabberd"])
@pytest.mark.timeout_s(60)
async def test_bench_profile_with_bulk_users(federation, kind):
    peer = getattr(federation, kind)(f"{kind}.test", profile="bench", c2s_require_encryption=False)
    jids = peer.add_users_bulk("user", COUNT, PASSWORD)
    assert jids[0] == f"user0@{kind}.test" and len(jids) == COUNT
    first = await xmpp_client.login(peer, "user0", PASSWORD, starttls=False)
    last = await xmpp_client.login(peer, f"user{COUNT - 1}", PASSWORD)   # STARTTLS still offered
    await xmpp_client.chat_roundtrip(first, last, "bulk users can talk", timeout=10)
    # The server process itself runs with the open-files limit the harness says it granted.
    assert peer.nofile == bench_profile.nofile_limit(bench_profile.BENCH_NOFILE)
    limits = open(f"/proc/{peer.pid}/limits").read()
    assert f"Max open files            {peer.nofile}" in limits, limits


@pytest.mark.timeout_s(60)
async def test_ejabberd_queues_users_added_before_start(federation):
    peer = federation.ejabberd("ejabberd.test", users=["bob", "carol"], start=False)
    peer.add_users_bulk("user", 5, PASSWORD)
    peer.start()
    bob = await xmpp_client.login(peer, "bob")
    user4 = await xmpp_client.login(peer, "user4", PASSWORD)
    await xmpp_client.chat_roundtrip(bob, user4, "queued users exist", timeout=10)
