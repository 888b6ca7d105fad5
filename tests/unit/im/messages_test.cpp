// RFC 6121 §8.5 delivery of messages and IQs to local users, XEP-0160 offline storage, and
// addresses the server cannot serve.
#include "harness.h"

namespace impd::im::test {
namespace {

using MessageTest = ServiceTest;

TEST_F(MessageTest, BareJidGoesToAllResourcesWithTheHighestPriority) {
  Client a = online("bob@imp.test/a", 5);
  Client b = online("bob@imp.test/b", 5);
  Client c = online("bob@imp.test/c", 1);
  Client alice = online("alice@imp.test/phone");
  send(alice, "<message to='bob@imp.test' type='chat' id='m1'><body>hi</body></message>");
  EXPECT_EQ(select(a.take(), "message").size(), 1u);
  EXPECT_EQ(select(b.take(), "message").size(), 1u);
  EXPECT_TRUE(c.take().empty());
  EXPECT_TRUE(alice.take().empty());
}

TEST_F(MessageTest, FullJidGoesToThatResourceEvenWithLowerPriority) {
  Client a = online("bob@imp.test/a", 5);
  Client c = online("bob@imp.test/c", -3);
  Client alice = online("alice@imp.test/phone");
  send(alice, "<message to='bob@imp.test/c'><body>hi</body></message>");
  EXPECT_TRUE(select(a.take(), "message").empty());
  EXPECT_EQ(select(c.take(), "message").size(), 1u);
}

TEST_F(MessageTest, NegativePriorityMeansOfflineStorageWithDelay) {
  Client hidden = online("bob@imp.test/bot", -1);
  Client alice = online("alice@imp.test/phone");
  send(alice, "<message to='bob@imp.test' type='chat' id='m1'><body>later</body></message>");
  send(alice,
       "<message to='bob@imp.test'><active "
       "xmlns='http://jabber.org/protocol/chatstates'/></message>");
  EXPECT_TRUE(hidden.take().empty());
  EXPECT_TRUE(alice.take().empty());

  Client bob = login("bob@imp.test/desk");
  send(bob, "<presence/>");
  auto bobGot = bob.take();
  auto messages = select(bobGot, "message");
  ASSERT_EQ(messages.size(), 1u);  // the body-less one was not kept
  EXPECT_EQ(messages[0]->attr("from"), "alice@imp.test/phone");
  EXPECT_EQ(messages[0]->childText("body"), "later");
  const xml::Element* delay = messages[0]->child("delay", "urn:xmpp:delay");
  ASSERT_NE(delay, nullptr);
  EXPECT_EQ(delay->attr("from"), "imp.test");
  EXPECT_EQ(delay->attr("stamp"), "2023-11-14T22:13:20Z");

  // Delivered once only.
  Client again = login("bob@imp.test/tablet");
  send(again, "<presence/>");
  EXPECT_TRUE(select(again.take(), "message").empty());
}

TEST_F(MessageTest, OfflineMessagesWaitForANonNegativeResource) {
  Client alice = online("alice@imp.test/phone");
  send(alice, "<message to='bob@imp.test'><body>one</body></message>");
  Client bot = login("bob@imp.test/bot");
  send(bot, "<presence><priority>-5</priority></presence>");
  EXPECT_TRUE(select(bot.take(), "message").empty());
  Client desk = login("bob@imp.test/desk");
  send(desk, "<presence/>");
  EXPECT_EQ(select(desk.take(), "message").size(), 1u);
}

TEST_F(MessageTest, FullOfflineQueueAnswersResourceConstraint) {
  Client alice = online("alice@imp.test/phone");
  for (std::size_t i = 0; i < kOfflineLimit; ++i) {
    send(alice, "<message to='bob@imp.test'><body>x</body></message>");
  }
  EXPECT_TRUE(alice.take().empty());
  send(alice, "<message to='bob@imp.test' id='over'><body>x</body></message>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attr("type"), "error");
  EXPECT_EQ(got[0].attr("id"), "over");
  EXPECT_EQ(errorCondition(got[0]), "resource-constraint");
}

TEST_F(MessageTest, MissingAccountIsServiceUnavailable) {
  Client alice = online("alice@imp.test/phone");
  for (const char* stanza :
       {"<message to='ghost@imp.test' id='x'><body>hi</body></message>",
        "<message to='ghost@imp.test/r' id='x'><body>hi</body></message>",
        "<iq to='ghost@imp.test' type='get' id='x'><ping xmlns='urn:xmpp:ping'/></iq>"}) {
    send(alice, stanza);
    auto got = alice.take();
    ASSERT_EQ(got.size(), 1u) << stanza;
    EXPECT_EQ(errorCondition(got[0]), "service-unavailable") << stanza;
  }
  // Errors are never answered, and plain presence is ignored.
  send(alice, "<message to='ghost@imp.test' type='error' id='x'/>");
  send(alice, "<presence to='ghost@imp.test'/>");
  EXPECT_TRUE(alice.take().empty());
}

TEST_F(MessageTest, TypesToBareJid) {
  Client alice = online("alice@imp.test/phone");
  // Nobody online: headline dropped, groupchat refused.
  send(alice, "<message to='bob@imp.test' type='headline'><body>news</body></message>");
  EXPECT_TRUE(alice.take().empty());
  send(alice, "<message to='bob@imp.test' type='groupchat'><body>room</body></message>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "service-unavailable");

  Client a = online("bob@imp.test/a", 1);
  Client b = online("bob@imp.test/b", 0);
  Client bot = online("bob@imp.test/bot", -1);
  send(alice, "<message to='bob@imp.test' type='headline'><body>news</body></message>");
  EXPECT_EQ(select(a.take(), "message").size(), 1u);
  EXPECT_EQ(select(b.take(), "message").size(), 1u);
  EXPECT_TRUE(select(bot.take(), "message").empty());

  // Nothing was stored for Bob: a fresh login gets no offline messages.
  Client later = login("bob@imp.test/later");
  send(later, "<presence/>");
  EXPECT_TRUE(select(later.take(), "message").empty());
}

TEST_F(MessageTest, FullJidOfGoneResource) {
  Client a = online("bob@imp.test/a");
  Client alice = online("alice@imp.test/phone");
  send(alice, "<message to='bob@imp.test/gone' type='chat'><body>hi</body></message>");
  EXPECT_EQ(select(a.take(), "message").size(), 1u);  // falls back to the bare JID
  send(alice, "<message to='bob@imp.test/gone' type='headline'><body>hi</body></message>");
  EXPECT_TRUE(a.take().empty());
  EXPECT_TRUE(alice.take().empty());
  send(alice, "<message to='bob@imp.test/gone' type='groupchat'><body>hi</body></message>");
  EXPECT_TRUE(a.take().empty());
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "service-unavailable");
}

TEST_F(MessageTest, MessageWithoutToReachesOwnResources) {
  Client phone = online("alice@imp.test/phone");
  Client laptop = online("alice@imp.test/laptop");
  phone.take();
  send(phone, "<message><body>note to self</body></message>");
  auto got = laptop.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attr("to"), "alice@imp.test");
}

TEST_F(MessageTest, IqToAnotherUser) {
  Client bob = online("bob@imp.test/desk");
  Client alice = online("alice@imp.test/phone");
  bob.take();
  send(alice, "<iq to='bob@imp.test' type='get' id='v'><query xmlns='jabber:iq:version'/></iq>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "service-unavailable");

  send(alice,
       "<iq to='bob@imp.test' type='get' id='d'><query "
       "xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attr("type"), "result");
  EXPECT_EQ(got[0].attr("from"), "bob@imp.test");
  const xml::Element* identity =
      got[0].child("query", "http://jabber.org/protocol/disco#info")->child("identity");
  ASSERT_NE(identity, nullptr);
  EXPECT_EQ(identity->attr("category"), "account");
  EXPECT_EQ(identity->attr("type"), "registered");

  send(alice,
       "<iq to='bob@imp.test/desk' type='get' id='v'><query xmlns='jabber:iq:version'/></iq>");
  EXPECT_EQ(select(bob.take(), "iq", "get", "alice@imp.test/phone").size(), 1u);
  send(alice,
       "<iq to='bob@imp.test/gone' type='get' id='v'><query xmlns='jabber:iq:version'/></iq>");
  got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "service-unavailable");
  send(alice, "<iq to='bob@imp.test/gone' type='result' id='v'/>");
  EXPECT_TRUE(alice.take().empty());
}

TEST_F(MessageTest, RemoteDomainIsNotReachableYet) {
  Client alice = online("alice@imp.test/phone");
  send(alice, "<message to='romeo@montague.test' id='r'><body>hi</body></message>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(errorCondition(got[0]), "remote-server-not-found");
  EXPECT_EQ(got[0].attr("from"), "romeo@montague.test");
  send(alice, "<iq to='montague.test' type='result' id='r'/>");
  EXPECT_TRUE(alice.take().empty());
}

}  // namespace
}  // namespace impd::im::test
