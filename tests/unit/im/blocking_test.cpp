// XEP-0191 blocking: the IQs, pushes, and what a block does to traffic both ways.
#include "harness.h"

namespace impd::im::test {
namespace {

using BlockingTest = ServiceTest;

constexpr const char* kBlockBob =
    "<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item "
    "jid='bob@imp.test'/></block></iq>";

TEST_F(BlockingTest, BlockIsPushedToEveryResourceAndListed) {
  Client phone = online("alice@imp.test/phone");
  Client laptop = login("alice@imp.test/laptop");
  phone.take();
  send(phone, kBlockBob);
  auto got = phone.take();
  ASSERT_EQ(select(got, "iq", "set").size(), 1u);
  EXPECT_EQ(select(got, "iq", "result").size(), 1u);
  auto laptopGot = laptop.take();
  auto pushed = select(laptopGot, "iq", "set");
  ASSERT_EQ(pushed.size(), 1u);
  const xml::Element* block = pushed[0]->child("block", "urn:xmpp:blocking");
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(block->child("item")->attr("jid"), "bob@imp.test");

  send(phone, "<iq type='get' id='g'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
  got = phone.take();
  ASSERT_EQ(got.size(), 1u);
  auto items = got[0].child("blocklist", "urn:xmpp:blocking")->children("item");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]->attr("jid"), "bob@imp.test");
}

TEST_F(BlockingTest, BadRequests) {
  Client alice = online("alice@imp.test/phone");
  send(alice, "<iq type='set' id='b'><block xmlns='urn:xmpp:blocking'/></iq>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "bad-request");
  send(alice,
       "<iq type='set' id='b'><block xmlns='urn:xmpp:blocking'><item jid='a@b@c'/></block></iq>");
  got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "jid-malformed");
}

TEST_F(BlockingTest, BlockedContactSeesUserGoOffline) {
  befriend("alice@imp.test", "bob@imp.test");
  Client bob = online("bob@imp.test/desk");
  Client alice = online("alice@imp.test/phone");
  bob.take();
  send(alice, kBlockBob);
  EXPECT_EQ(select(bob.take(), "presence", "unavailable", "alice@imp.test/phone").size(), 1u);

  // Later broadcasts skip Bob, and the subscription itself is kept (polite blocking).
  send(alice, "<presence><show>dnd</show></presence>");
  EXPECT_TRUE(bob.take().empty());
  EXPECT_EQ(row("alice@imp.test", "bob@imp.test")->subscription, storage::Subscription::kBoth);
}

TEST_F(BlockingTest, InboundFromBlockedSender) {
  Client alice = online("alice@imp.test/phone");
  Client bob = online("bob@imp.test/desk");
  send(alice, kBlockBob);
  alice.take();
  bob.take();

  send(bob, "<message to='alice@imp.test' id='m'><body>hi</body></message>");
  auto got = bob.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "service-unavailable");
  send(bob, "<iq to='alice@imp.test/phone' type='get' id='q'><ping xmlns='urn:xmpp:ping'/></iq>");
  got = bob.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "service-unavailable");
  // Presence of any kind, subscriptions included, vanishes without an answer.
  send(bob, "<presence to='alice@imp.test/phone'/>");
  send(bob, "<presence to='alice@imp.test' type='subscribe'/>");
  EXPECT_TRUE(select(bob.take(), "presence").empty());
  EXPECT_TRUE(alice.take().empty());
  EXPECT_FALSE(row("alice@imp.test", "bob@imp.test"));
}

TEST_F(BlockingTest, ProbesFromBlockedContactAreIgnored) {
  befriend("alice@imp.test", "bob@imp.test");
  Client alice = online("alice@imp.test/phone");
  send(alice, kBlockBob);
  Client bob = login("bob@imp.test/desk");
  send(bob, "<presence/>");
  auto got = bob.take();
  EXPECT_TRUE(select(got, "presence", "*", "alice@imp.test/phone").empty());
  EXPECT_TRUE(select(got, "presence", "*", "alice@imp.test").empty());
}

TEST_F(BlockingTest, OutboundToBlockedJidIsRefused) {
  Client alice = online("alice@imp.test/phone");
  Client bob = online("bob@imp.test/desk");
  send(alice, kBlockBob);
  alice.take();
  bob.take();
  send(alice, "<message to='bob@imp.test/desk' id='m'><body>hi</body></message>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "not-acceptable");
  EXPECT_NE(got[0].child("error")->child("blocked", "urn:xmpp:blocking:errors"), nullptr);
  send(alice, "<presence to='bob@imp.test'/>");
  EXPECT_TRUE(alice.take().empty());
  EXPECT_TRUE(bob.take().empty());
}

TEST_F(BlockingTest, DomainBlockMatchesEveryUserOfTheDomain) {
  Client alice = online("alice@imp.test/phone");
  Client bob = online("bob@imp.test/desk");
  send(
      alice,
      "<iq type='set' id='b'><block xmlns='urn:xmpp:blocking'><item jid='imp.test'/></block></iq>");
  bob.take();
  send(bob, "<message to='alice@imp.test'><body>hi</body></message>");
  EXPECT_EQ(errorCondition(bob.take().at(0)), "service-unavailable");
}

TEST_F(BlockingTest, UnblockRestoresPresence) {
  befriend("alice@imp.test", "bob@imp.test");
  Client bob = online("bob@imp.test/desk");
  Client alice = online("alice@imp.test/phone");
  send(alice, kBlockBob);
  bob.take();
  alice.take();

  send(alice, "<iq type='set' id='u'><unblock xmlns='urn:xmpp:blocking'/></iq>");
  auto got = alice.take();
  auto pushes = select(got, "iq", "set");
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_NE(pushes[0]->child("unblock", "urn:xmpp:blocking"), nullptr);
  EXPECT_EQ(select(got, "iq", "result").size(), 1u);
  EXPECT_EQ(select(bob.take(), "presence", "", "alice@imp.test/phone").size(), 1u);

  send(bob, "<message to='alice@imp.test'><body>hi again</body></message>");
  EXPECT_EQ(select(alice.take(), "message").size(), 1u);
}

}  // namespace
}  // namespace impd::im::test
