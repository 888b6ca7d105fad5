// RFC 6121 §4: broadcast, initial presence and probes, directed presence, session end.
#include "harness.h"

namespace impd::im::test {
namespace {

using PresenceTest = ServiceTest;

TEST_F(PresenceTest, BroadcastReachesSubscribersAndOwnResources) {
  befriend("alice@imp.test", "bob@imp.test");
  storage::RosterItem onlyTo;  // Alice sees Carol, Carol does not see Alice
  onlyTo.contact = "carol@imp.test";
  onlyTo.subscription = storage::Subscription::kTo;
  setRow("alice@imp.test", onlyTo);
  Client bob = online("bob@imp.test/desk");
  Client carol = online("carol@imp.test/home");
  Client phone = online("alice@imp.test/phone");
  Client laptop = login("alice@imp.test/laptop");
  bob.take();
  phone.take();

  send(laptop, "<presence><show>away</show><priority>200</priority></presence>");
  auto bobGot = bob.take();
  auto fromLaptop = select(bobGot, "presence", "", "alice@imp.test/laptop");
  ASSERT_EQ(fromLaptop.size(), 1u);
  EXPECT_EQ(fromLaptop[0]->attr("to"), "bob@imp.test");
  EXPECT_EQ(fromLaptop[0]->childText("show"), "away");
  EXPECT_EQ(select(phone.take(), "presence", "", "alice@imp.test/laptop").size(), 1u);
  EXPECT_TRUE(carol.take().empty());

  auto laptopGot = laptop.take();
  EXPECT_EQ(select(laptopGot, "presence", "", "alice@imp.test/laptop").size(), 1u);  // own echo
  EXPECT_EQ(select(laptopGot, "presence", "", "alice@imp.test/phone").size(), 1u);   // sibling
  EXPECT_EQ(select(laptopGot, "presence", "", "bob@imp.test/desk").size(), 1u);      // probe answer
  EXPECT_EQ(laptop.session->presence().priority, 127);                               // clamped
  EXPECT_TRUE(laptop.session->presence().available);
  EXPECT_FALSE(laptop.session->presence().last->hasAttr("to"));
}

TEST_F(PresenceTest, ProbeOfOfflineContactGivesOneUnavailable) {
  befriend("alice@imp.test", "bob@imp.test");
  Client alice = login("alice@imp.test/phone");
  send(alice, "<presence/>");
  auto got = alice.take();
  auto fromBob = select(got, "presence", "*", "bob@imp.test");
  ASSERT_EQ(fromBob.size(), 1u);
  EXPECT_EQ(fromBob[0]->attr("type"), "unavailable");
}

TEST_F(PresenceTest, ProbeWithoutSubscriptionIsAnsweredUnsubscribed) {
  // Carol believes she is subscribed to Alice; Alice's roster says otherwise.
  storage::RosterItem stale;
  stale.contact = "alice@imp.test";
  stale.subscription = storage::Subscription::kTo;
  stale.name = "Alice";
  setRow("carol@imp.test", stale);
  Client alice = online("alice@imp.test/phone");
  Client carol = login("carol@imp.test/home");
  carol.session->setRosterRequested();
  send(carol, "<presence/>");
  auto got = carol.take();
  EXPECT_EQ(select(got, "presence", "unsubscribed", "alice@imp.test").size(), 1u);
  EXPECT_TRUE(select(got, "presence", "", "alice@imp.test/phone").empty());
  EXPECT_EQ(row("carol@imp.test", "alice@imp.test")->subscription, storage::Subscription::kNone);
}

TEST_F(PresenceTest, UnavailableFromClientReachesContactsAndDirectedTargets) {
  befriend("alice@imp.test", "bob@imp.test");
  Client bob = online("bob@imp.test/desk");
  Client carol = online("carol@imp.test/home");
  Client alice = online("alice@imp.test/phone");
  send(alice, "<presence to='carol@imp.test/home'><status>psst</status></presence>");
  auto carolGot = carol.take();
  ASSERT_EQ(select(carolGot, "presence", "", "alice@imp.test/phone").size(), 1u);
  bob.take();

  send(alice, "<presence type='unavailable'><status>bye</status></presence>");
  auto bobGot = bob.take();
  auto gone = select(bobGot, "presence", "unavailable", "alice@imp.test/phone");
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0]->childText("status"), "bye");
  EXPECT_EQ(select(carol.take(), "presence", "unavailable", "alice@imp.test/phone").size(), 1u);
  EXPECT_FALSE(alice.session->presence().available);
}

TEST_F(PresenceTest, SessionEndTellsContactsSiblingsAndDirectedTargets) {
  befriend("alice@imp.test", "bob@imp.test");
  Client bob = online("bob@imp.test/desk");
  Client carol = online("carol@imp.test/home");
  Client phone = online("alice@imp.test/phone");
  Client laptop = online("alice@imp.test/laptop");
  send(phone, "<presence to='carol@imp.test'/>");
  bob.take();
  carol.take();
  laptop.take();
  phone.take();

  end(phone);
  EXPECT_EQ(select(bob.take(), "presence", "unavailable", "alice@imp.test/phone").size(), 1u);
  EXPECT_EQ(select(carol.take(), "presence", "unavailable", "alice@imp.test/phone").size(), 1u);
  EXPECT_EQ(select(laptop.take(), "presence", "unavailable", "alice@imp.test/phone").size(), 1u);
  EXPECT_TRUE(phone.take().empty());
}

TEST_F(PresenceTest, DirectedUnavailableForgetsTheTarget) {
  Client carol = online("carol@imp.test/home");
  Client alice = online("alice@imp.test/phone");
  send(alice, "<presence to='carol@imp.test'/>");
  send(alice, "<presence to='carol@imp.test' type='unavailable'/>");
  EXPECT_EQ(select(carol.take(), "presence", "unavailable").size(), 1u);
  end(alice);
  EXPECT_TRUE(carol.take().empty());
}

TEST_F(PresenceTest, DirectedPresenceBeforeInitialPresenceStillGetsUnavailable) {
  Client carol = online("carol@imp.test/home");
  Client alice = login("alice@imp.test/phone");
  send(alice, "<presence to='carol@imp.test'/>");
  carol.take();
  end(alice);
  EXPECT_EQ(select(carol.take(), "presence", "unavailable", "alice@imp.test/phone").size(), 1u);
}

TEST_F(PresenceTest, InboundPresenceToFullJidOnlyReachesThatResource) {
  Client phone = online("alice@imp.test/phone");
  Client laptop = online("alice@imp.test/laptop");
  phone.take();
  route("<presence from='carol@imp.test/home' to='alice@imp.test/laptop'/>");
  EXPECT_TRUE(phone.take().empty());
  EXPECT_EQ(laptop.take().size(), 1u);
  route("<presence from='carol@imp.test/home' to='alice@imp.test/gone'/>");
  EXPECT_TRUE(phone.take().empty());
  EXPECT_TRUE(laptop.take().empty());
}

TEST_F(PresenceTest, ClientProbesAndOddTypesAreNotRouted) {
  befriend("alice@imp.test", "bob@imp.test");
  Client bob = online("bob@imp.test/desk");
  Client alice = online("alice@imp.test/phone");
  bob.take();
  send(alice, "<presence to='bob@imp.test' type='probe'/>");
  EXPECT_TRUE(bob.take().empty());
  EXPECT_TRUE(alice.take().empty());
  send(alice, "<presence to='bob@imp.test' type='bogus'/>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "bad-request");
}

}  // namespace
}  // namespace impd::im::test
