// IQs the server answers itself: disco, ping, version, legacy session, and refusals.
#include <algorithm>

#include "harness.h"

namespace impd::im::test {
namespace {

const char* kDiscoInfo = "http://jabber.org/protocol/disco#info";

class ServerIqTest : public ServiceTest {
 protected:
  // Sends a request and returns the one stanza that came back.
  xml::Element ask(Client& c, std::string_view stanza) {
    send(c, stanza);
    auto got = c.take();
    EXPECT_EQ(got.size(), 1u) << stanza;
    return got.empty() ? xml::Element() : got.front();
  }
};

TEST_F(ServerIqTest, DiscoInfoOfTheDomain) {
  Client alice = login("alice@imp.test/phone");
  send(alice,
       "<iq to='imp.test' type='get' id='d'><query "
       "xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attr("type"), "result");
  EXPECT_EQ(got[0].attr("from"), "imp.test");
  const xml::Element* q = got[0].child("query", kDiscoInfo);
  ASSERT_NE(q, nullptr);
  const xml::Element* identity = q->child("identity");
  EXPECT_EQ(identity->attr("category"), "server");
  EXPECT_EQ(identity->attr("type"), "im");
  EXPECT_EQ(identity->attr("name"), "impd");
  std::vector<std::string> features;
  for (const xml::Element* f : q->children("feature")) features.emplace_back(f->attr("var"));
  for (const char* expected :
       {"http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
        "urn:xmpp:ping", "jabber:iq:version", "urn:xmpp:blocking", "jabber:iq:roster", "msgoffline",
        "urn:xmpp:sm:3"}) {
    EXPECT_NE(std::find(features.begin(), features.end(), expected), features.end()) << expected;
  }
}

TEST_F(ServerIqTest, DiscoInfoOfOwnAccount) {
  Client alice = login("alice@imp.test/phone");
  send(alice,
       "<iq to='alice@imp.test' type='get' id='d'><query "
       "xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].child("query", kDiscoInfo)->child("identity")->attr("category"), "account");
}

TEST_F(ServerIqTest, PingVersionItemsSession) {
  Client alice = login("alice@imp.test/phone");
  EXPECT_EQ(ask(alice, "<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>").attr("type"),
            "result");
  EXPECT_EQ(ask(alice, "<iq to='imp.test' type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>")
                .attr("type"),
            "result");
  xml::Element version =
      ask(alice, "<iq to='imp.test' type='get' id='v'><query xmlns='jabber:iq:version'/></iq>");
  const xml::Element* q = version.child("query", "jabber:iq:version");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->childText("name"), "impd");
  EXPECT_EQ(q->childText("version"), "0.1.0");
  EXPECT_FALSE(q->childText("os").empty());
  xml::Element items = ask(alice,
                           "<iq to='imp.test' type='get' id='i'><query "
                           "xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  ASSERT_NE(items.child("query"), nullptr);
  EXPECT_TRUE(items.child("query")->children().empty());
  EXPECT_EQ(ask(alice,
                "<iq type='set' id='s'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>")
                .attr("type"),
            "result");
}

TEST_F(ServerIqTest, RefusalsAndValidation) {
  Client alice = login("alice@imp.test/phone");
  const std::pair<const char*, const char*> cases[] = {
      {"<iq to='imp.test' type='get' id='x'><query xmlns='urn:example:nothing'/></iq>",
       "service-unavailable"},
      {"<iq to='imp.test' type='get' id='x'/>", "bad-request"},
      {"<iq type='get' id='x'><ping xmlns='urn:xmpp:ping'/><ping xmlns='urn:xmpp:ping'/></iq>",
       "bad-request"},
      {"<iq to='imp.test' type='bogus' id='x'><ping xmlns='urn:xmpp:ping'/></iq>", "bad-request"},
      // Roster requests belong to the account, not the domain.
      {"<iq to='imp.test' type='get' id='x'><query xmlns='jabber:iq:roster'/></iq>",
       "service-unavailable"},
  };
  for (const auto& [stanza, condition] : cases) {
    EXPECT_EQ(errorCondition(ask(alice, stanza)), condition) << stanza;
  }
  send(alice, "<iq to='imp.test' type='result' id='x'/>");
  EXPECT_TRUE(alice.take().empty());
  send(alice, "<message to='imp.test'><body>hello server</body></message>");
  EXPECT_EQ(errorCondition(alice.take().at(0)), "service-unavailable");
}

TEST_F(ServerIqTest, PeerRouteReachesServerIqs) {
  Client alice = login("alice@imp.test/phone");
  route(
      "<iq from='alice@imp.test/phone' to='imp.test' type='get' id='p'><ping "
      "xmlns='urn:xmpp:ping'/></iq>");
  auto got = alice.take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attr("type"), "result");
}

}  // namespace
}  // namespace impd::im::test
