// RFC 6121 §2: roster get, set, remove, pushes and versioning.
#include "harness.h"

namespace impd::im::test {
namespace {

using RosterTest = ServiceTest;

const xml::Element* query(const xml::Element& iq) {
  return iq.child("query", "jabber:iq:roster");
}

TEST_F(RosterTest, GetReturnsEmptyRosterWithVersionAndMarksInterest) {
  Client alice = login("alice@imp.test/phone");
  EXPECT_FALSE(alice.session->rosterRequested());
  send(alice, "<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attr("type"), "result");
  EXPECT_EQ(got[0].attr("id"), "r1");
  EXPECT_EQ(got[0].attr("to"), "alice@imp.test/phone");
  ASSERT_NE(query(got[0]), nullptr);
  EXPECT_EQ(query(got[0])->attr("ver"), "0");
  EXPECT_TRUE(query(got[0])->children().empty());
  EXPECT_TRUE(alice.session->rosterRequested());
}

TEST_F(RosterTest, SetPushesToInterestedResourcesThenAnswers) {
  Client phone = online("alice@imp.test/phone");
  Client laptop = online("alice@imp.test/laptop");
  Client tablet = login("alice@imp.test/tablet");  // never asked for the roster
  phone.take();
  send(phone,
       "<iq type='set' id='s1'><query xmlns='jabber:iq:roster'>"
       "<item jid='Bob@IMP.test' name='Bob'><group>Friends</group><group>Work</group></item>"
       "</query></iq>");
  auto got = phone.take();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].attr("type"), "set");  // the push comes first
  EXPECT_EQ(got[1].attr("type"), "result");
  EXPECT_EQ(got[1].attr("id"), "s1");
  const xml::Element* item = query(got[0])->child("item");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->attr("jid"), "bob@imp.test");
  EXPECT_EQ(item->attr("name"), "Bob");
  EXPECT_EQ(item->attr("subscription"), "none");
  EXPECT_FALSE(item->hasAttr("ask"));
  EXPECT_EQ(item->children("group").size(), 2u);
  EXPECT_EQ(query(got[0])->attr("ver"), "1");

  auto other = laptop.take();
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].attr("to"), "alice@imp.test/laptop");
  EXPECT_FALSE(other[0].attr("id").empty());
  EXPECT_TRUE(tablet.take().empty());

  auto stored = row("alice@imp.test", "bob@imp.test");
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->inRoster);
  EXPECT_EQ(stored->groups, (std::vector<std::string>{"Friends", "Work"}));
}

TEST_F(RosterTest, UpdateKeepsSubscriptionState) {
  befriend("alice@imp.test", "bob@imp.test");
  Client alice = online("alice@imp.test/phone");
  send(alice,
       "<iq type='set' id='s1'><query xmlns='jabber:iq:roster'>"
       "<item jid='bob@imp.test' name='Robert' subscription='none'/></query></iq>");
  auto got = alice.take();
  auto pushes = select(got, "iq", "set");
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_EQ(query(*pushes[0])->child("item")->attr("subscription"), "both");
  EXPECT_EQ(row("alice@imp.test", "bob@imp.test")->subscription, storage::Subscription::kBoth);
}

TEST_F(RosterTest, VersionMatchGivesEmptyResult) {
  Client alice = online("alice@imp.test/phone");
  send(alice,
       "<iq type='set' id='s1'><query xmlns='jabber:iq:roster'>"
       "<item jid='bob@imp.test'/></query></iq>");
  alice.take();
  send(alice, "<iq type='get' id='g1'><query xmlns='jabber:iq:roster' ver='1'/></iq>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attr("type"), "result");
  EXPECT_TRUE(got[0].children().empty());

  send(alice, "<iq type='get' id='g2'><query xmlns='jabber:iq:roster' ver='0'/></iq>");
  got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  ASSERT_NE(query(got[0]), nullptr);
  EXPECT_EQ(query(got[0])->attr("ver"), "1");
  EXPECT_EQ(query(got[0])->children("item").size(), 1u);
}

TEST_F(RosterTest, PendingInboundRequestIsNotARosterItem) {
  storage::RosterItem pending;
  pending.contact = "carol@imp.test";
  pending.pendingIn = true;
  pending.inRoster = false;
  setRow("alice@imp.test", pending);
  Client alice = login("alice@imp.test/phone");
  send(alice, "<iq type='get' id='g1'><query xmlns='jabber:iq:roster'/></iq>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(query(got[0])->children("item").empty());
}

TEST_F(RosterTest, InvalidSetsAreRefused) {
  Client alice = online("alice@imp.test/phone");
  const std::pair<const char*, const char*> cases[] = {
      {"<item jid='bob@imp.test'/><item jid='carol@imp.test'/>", "bad-request"},
      {"<item name='nobody'/>", "bad-request"},
      {"<item jid='bob@imp.test'><group>A</group><group>A</group></item>", "bad-request"},
      {"<item jid='bob@imp.test'><group/></item>", "bad-request"},
      {"<item jid='@imp.test'/>", "jid-malformed"},
      {"", "bad-request"},
  };
  for (const auto& [items, condition] : cases) {
    send(alice, std::string("<iq type='set' id='bad'><query xmlns='jabber:iq:roster'>") + items +
                    "</query></iq>");
    auto got = alice.take();
    ASSERT_EQ(got.size(), 1u) << items;
    EXPECT_EQ(got[0].attr("type"), "error") << items;
    EXPECT_EQ(errorCondition(got[0]), condition) << items;
  }
  EXPECT_FALSE(row("alice@imp.test", "bob@imp.test"));
}

TEST_F(RosterTest, RemoveUnknownItemIsItemNotFound) {
  Client alice = online("alice@imp.test/phone");
  send(alice,
       "<iq type='set' id='rm'><query xmlns='jabber:iq:roster'>"
       "<item jid='bob@imp.test' subscription='remove'/></query></iq>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "item-not-found");
}

TEST_F(RosterTest, RemoveEndsBothSubscriptionsAndPushesRemove) {
  befriend("alice@imp.test", "bob@imp.test");
  Client bob = online("bob@imp.test/desk");
  Client alice = online("alice@imp.test/phone");
  bob.take();
  send(alice,
       "<iq type='set' id='rm'><query xmlns='jabber:iq:roster'>"
       "<item jid='bob@imp.test' subscription='remove'/></query></iq>");
  auto got = alice.take();
  auto pushes = select(got, "iq", "set");
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_EQ(query(*pushes[0])->child("item")->attr("subscription"), "remove");
  EXPECT_EQ(select(got, "iq", "result").size(), 1u);
  EXPECT_FALSE(row("alice@imp.test", "bob@imp.test"));

  // Bob hears both directions end, and sees Alice go offline.
  auto bobGot = bob.take();
  EXPECT_EQ(select(bobGot, "presence", "unsubscribe", "alice@imp.test").size(), 1u);
  EXPECT_EQ(select(bobGot, "presence", "unsubscribed", "alice@imp.test").size(), 1u);
  EXPECT_EQ(select(bobGot, "presence", "unavailable", "alice@imp.test/phone").size(), 1u);
  auto bobRow = row("bob@imp.test", "alice@imp.test");
  ASSERT_TRUE(bobRow);
  EXPECT_EQ(bobRow->subscription, storage::Subscription::kNone);
  EXPECT_TRUE(bobRow->inRoster);
}

}  // namespace
}  // namespace impd::im::test
