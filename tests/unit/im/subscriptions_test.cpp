// RFC 6121 §3 between two local users: request, approval, denial, cancellation,
// pre-approval, and requests that wait for the contact to log in.
#include "harness.h"

namespace impd::im::test {
namespace {

using SubscriptionTest = ServiceTest;
using storage::Subscription;

const xml::Element* pushedItem(const std::vector<xml::Element>& got) {
  auto pushes = select(got, "iq", "set");
  if (pushes.size() != 1) return nullptr;
  const xml::Element* q = pushes[0]->child("query", "jabber:iq:roster");
  return q ? q->child("item") : nullptr;
}

TEST_F(SubscriptionTest, RequestAndApprovalBetweenLocalUsers) {
  Client alice = online("alice@imp.test/phone");
  Client bob = online("bob@imp.test/desk");
  alice.take();

  send(alice, "<presence to='bob@imp.test/desk' type='subscribe'><status>hi</status></presence>");
  auto aliceGot = alice.take();
  const xml::Element* item = pushedItem(aliceGot);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->attr("jid"), "bob@imp.test");
  EXPECT_EQ(item->attr("subscription"), "none");
  EXPECT_EQ(item->attr("ask"), "subscribe");

  // Stamped with Alice's bare JID, addressed to Bob's bare JID, status kept.
  auto bobGot = bob.take();
  auto requests = select(bobGot, "presence", "subscribe", "alice@imp.test");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]->attr("to"), "bob@imp.test");
  EXPECT_EQ(requests[0]->childText("status"), "hi");
  EXPECT_TRUE(select(bobGot, "iq").empty());  // a pending request is not a roster item
  auto pending = row("bob@imp.test", "alice@imp.test");
  ASSERT_TRUE(pending);
  EXPECT_TRUE(pending->pendingIn);
  EXPECT_FALSE(pending->inRoster);

  send(bob, "<presence to='alice@imp.test' type='subscribed'/>");
  bobGot = bob.take();
  item = pushedItem(bobGot);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->attr("subscription"), "from");

  aliceGot = alice.take();
  item = pushedItem(aliceGot);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->attr("subscription"), "to");
  EXPECT_FALSE(item->hasAttr("ask"));
  EXPECT_EQ(select(aliceGot, "presence", "subscribed", "bob@imp.test").size(), 1u);
  // Bob's server sends his current presence to the new subscriber.
  EXPECT_EQ(select(aliceGot, "presence", "", "bob@imp.test/desk").size(), 1u);

  EXPECT_EQ(row("alice@imp.test", "bob@imp.test")->subscription, Subscription::kTo);
  auto bobRow = row("bob@imp.test", "alice@imp.test");
  EXPECT_EQ(bobRow->subscription, Subscription::kFrom);
  EXPECT_FALSE(bobRow->pendingIn);
  EXPECT_TRUE(bobRow->pendingInStanza.empty());
  EXPECT_TRUE(bobRow->inRoster);
}

TEST_F(SubscriptionTest, RequestToOfflineUserWaitsForEachLoginUntilAnswered) {
  Client alice = online("alice@imp.test/phone");
  send(alice, "<presence to='bob@imp.test' type='subscribe'/>");

  for (int i = 0; i < 2; ++i) {
    Client bob = login("bob@imp.test/desk");
    send(bob, "<presence/>");
    auto got = bob.take();
    EXPECT_EQ(select(got, "presence", "subscribe", "alice@imp.test").size(), 1u) << i;
    end(bob);
  }

  Client bob = login("bob@imp.test/desk");
  send(bob, "<presence/>");
  send(bob, "<presence to='alice@imp.test' type='subscribed'/>");
  end(bob);
  bob = login("bob@imp.test/desk");
  send(bob, "<presence/>");
  EXPECT_TRUE(select(bob.take(), "presence", "subscribe").empty());
}

TEST_F(SubscriptionTest, DenialClearsPendingOut) {
  Client alice = online("alice@imp.test/phone");
  Client bob = online("bob@imp.test/desk");
  send(alice, "<presence to='bob@imp.test' type='subscribe'/>");
  alice.take();
  bob.take();

  send(bob, "<presence to='alice@imp.test' type='unsubscribed'/>");
  EXPECT_TRUE(select(bob.take(), "iq").empty());        // nothing visible changed for Bob
  EXPECT_FALSE(row("bob@imp.test", "alice@imp.test"));  // the pending row is gone

  auto aliceGot = alice.take();
  EXPECT_EQ(select(aliceGot, "presence", "unsubscribed", "bob@imp.test").size(), 1u);
  const xml::Element* item = pushedItem(aliceGot);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->attr("subscription"), "none");
  EXPECT_FALSE(item->hasAttr("ask"));
}

TEST_F(SubscriptionTest, ContactCancellingSendsUnavailable) {
  befriend("alice@imp.test", "bob@imp.test");
  Client alice = online("alice@imp.test/phone");
  Client bob = online("bob@imp.test/desk");
  alice.take();

  send(bob, "<presence to='alice@imp.test' type='unsubscribed'/>");
  auto aliceGot = alice.take();
  EXPECT_EQ(select(aliceGot, "presence", "unsubscribed", "bob@imp.test").size(), 1u);
  EXPECT_EQ(select(aliceGot, "presence", "unavailable", "bob@imp.test/desk").size(), 1u);
  EXPECT_EQ(pushedItem(aliceGot)->attr("subscription"), "from");
  EXPECT_EQ(row("bob@imp.test", "alice@imp.test")->subscription, Subscription::kTo);
}

TEST_F(SubscriptionTest, UnsubscribeStopsPresenceFromContact) {
  befriend("alice@imp.test", "bob@imp.test");
  Client alice = online("alice@imp.test/phone");
  Client bob = online("bob@imp.test/desk");
  alice.take();

  send(alice, "<presence to='bob@imp.test' type='unsubscribe'/>");
  auto aliceGot = alice.take();
  EXPECT_EQ(pushedItem(aliceGot)->attr("subscription"), "from");
  // Bob lost From (RFC 6121 §3.3.3): Alice sees him go offline.
  EXPECT_EQ(select(aliceGot, "presence", "unavailable", "bob@imp.test/desk").size(), 1u);
  auto bobGot = bob.take();
  EXPECT_EQ(select(bobGot, "presence", "unsubscribe", "alice@imp.test").size(), 1u);
  EXPECT_EQ(row("bob@imp.test", "alice@imp.test")->subscription, Subscription::kTo);
  send(bob, "<presence><show>away</show></presence>");
  EXPECT_TRUE(select(alice.take(), "presence").empty());
}

TEST_F(SubscriptionTest, PreApprovalAnswersTheRequestAtOnce) {
  Client alice = online("alice@imp.test/phone");
  Client bob = online("bob@imp.test/desk");
  send(bob, "<presence to='alice@imp.test' type='subscribed'/>");
  auto bobGot = bob.take();
  const xml::Element* item = pushedItem(bobGot);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->attr("approved"), "true");
  EXPECT_EQ(item->attr("subscription"), "none");
  EXPECT_TRUE(alice.take().empty());  // nothing routed

  send(alice, "<presence to='bob@imp.test' type='subscribe'/>");
  auto aliceGot = alice.take();
  EXPECT_EQ(select(aliceGot, "presence", "subscribed", "bob@imp.test").size(), 1u);
  EXPECT_EQ(select(aliceGot, "presence", "", "bob@imp.test/desk").size(), 1u);
  bobGot = bob.take();
  EXPECT_TRUE(select(bobGot, "presence", "subscribe").empty());
  item = pushedItem(bobGot);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->attr("subscription"), "from");
  EXPECT_FALSE(item->hasAttr("approved"));
  EXPECT_EQ(row("alice@imp.test", "bob@imp.test")->subscription, Subscription::kTo);
}

TEST_F(SubscriptionTest, ExistingSubscriberGetsAutomaticSubscribed) {
  // Bob already lets Alice see him, but Alice's side forgot (e.g. a restored backup).
  storage::RosterItem granted;
  granted.contact = "alice@imp.test";
  granted.subscription = Subscription::kFrom;
  setRow("bob@imp.test", granted);
  Client alice = online("alice@imp.test/phone");
  Client bob = online("bob@imp.test/desk");
  bob.take();
  send(alice, "<presence to='bob@imp.test' type='subscribe'/>");
  EXPECT_EQ(select(alice.take(), "presence", "subscribed", "bob@imp.test").size(), 1u);
  EXPECT_TRUE(select(bob.take(), "presence", "subscribe").empty());
  EXPECT_EQ(row("alice@imp.test", "bob@imp.test")->subscription, Subscription::kTo);
}

TEST_F(SubscriptionTest, RequestToMissingAccountIsRefused) {
  Client alice = online("alice@imp.test/phone");
  send(alice, "<presence to='ghost@imp.test' type='subscribe'/>");
  auto got = alice.take();
  EXPECT_EQ(select(got, "presence", "unsubscribed", "ghost@imp.test").size(), 1u);
  auto item = row("alice@imp.test", "ghost@imp.test");
  ASSERT_TRUE(item);
  EXPECT_FALSE(item->askOut);
  EXPECT_TRUE(item->inRoster);
}

}  // namespace
}  // namespace impd::im::test
