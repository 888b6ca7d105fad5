// XEP-0115 in the server: a client that lists the availability extension in its entity
// capabilities is asked once per verification string and from then on sees full states.
#include "codec/xmpp/caps.h"
#include "codec/xmpp/namespaces.h"
#include "harness.h"

namespace impd::im::test {
namespace {

using CapsTest = ServiceTest;

const char* kRichFeatures =
    "<query xmlns='http://jabber.org/protocol/disco#info'>"
    "<identity category='client' type='pc' name='Rich'/>"
    "<feature var='http://jabber.org/protocol/caps'/>"
    "<feature var='urn:impd:availability:0'/></query>";

std::string verOf(const char* query) { return *xmpp::capsVerification(parse(query)); }

std::string capsPresence(const std::string& ver) {
  return "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
         "node='https://rich.example' ver='" + ver + "'/></presence>";
}

TEST_F(CapsTest, ARichClientIsAskedOnceAndThenSeesFullStates) {
  befriend("alice@imp.test", "bob@imp.test");
  Client bob = online("bob@imp.test/desk");
  Client alice = login("alice@imp.test/rich");
  alice.session->setRosterRequested();
  const std::string ver = verOf(kRichFeatures);
  send(alice, capsPresence(ver));
  auto got = alice.take();
  auto queries = select(got, "iq", "get");
  ASSERT_EQ(queries.size(), 1u);
  const xml::Element* q = queries[0]->child("query", xmpp::ns::kDiscoInfo);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->attr("node"), "https://rich.example#" + ver);
  EXPECT_FALSE(alice.session->richPresence);

  // The answer: the server now knows, and asks the contacts again so the client sees them in full.
  send(alice, "<iq type='result' to='imp.test' id='" +
        std::string(queries[0]->attr("id")) + "'>" + kRichFeatures + "</iq>");
  EXPECT_TRUE(alice.session->richPresence);
  bob.take();
  send(bob, "<presence><show>away</show><status>Idle</status></presence>");
  auto aliceGot = alice.take();
  auto fromBob = select(aliceGot, "presence", "", "bob@imp.test/desk");
  ASSERT_FALSE(fromBob.empty());
  const xml::Element* ext = fromBob.back()->child("availability", xmpp::ns::kAvailability);
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(ext->attr("state"), "idle");

  // A second client with the same string is not asked again.
  Client again = login("alice@imp.test/other");
  again.session->setRosterRequested();
  send(again, capsPresence(ver));
  EXPECT_TRUE(select(again.take(), "iq", "get").empty());
  EXPECT_TRUE(again.session->richPresence);
}

TEST_F(CapsTest, AnAnswerThatDoesNotHashToTheStringIsNotRemembered) {
  Client alice = login("alice@imp.test/liar");
  send(alice, capsPresence("AAAAAAAAAAAAAAAAAAAAAAAAAAA="));
  auto got = alice.take();
  auto queries = select(got, "iq", "get");
  ASSERT_EQ(queries.size(), 1u);
  send(alice, "<iq type='result' to='imp.test' id='" +
        std::string(queries[0]->attr("id")) + "'>" + kRichFeatures + "</iq>");
  EXPECT_TRUE(alice.session->richPresence) << "the client itself said so";
  Client bob = login("bob@imp.test/desk");
  send(bob, capsPresence("AAAAAAAAAAAAAAAAAAAAAAAAAAA="));
  EXPECT_EQ(select(bob.take(), "iq", "get").size(), 1u) << "nothing cached for a bad string";
  EXPECT_FALSE(bob.session->richPresence);
}

TEST_F(CapsTest, OnlyTheAskedClientMayAnswer) {
  Client alice = login("alice@imp.test/rich");
  Client bob = login("bob@imp.test/desk");
  send(alice, capsPresence(verOf(kRichFeatures)));
  auto got = alice.take();
  auto queries = select(got, "iq", "get");
  ASSERT_EQ(queries.size(), 1u);
  send(bob, "<iq type='result' to='imp.test' id='" +
        std::string(queries[0]->attr("id")) + "'>" + kRichFeatures + "</iq>");
  EXPECT_FALSE(alice.session->richPresence);
}

}  // namespace
}  // namespace impd::im::test
