// Subscriptions, XMPP -> SIP: our SUBSCRIBEs, their responses, and one subscription per
// (watcher, presentity).
#include "gateway/outbound_subscribe.h"

#include <gtest/gtest.h>

#include "base/fake_random.h"
#include "gateway/outbound_subscriptions.h"
#include "test_util.h"

namespace impd::gateway::test {
namespace {

using namespace std::chrono_literals;

OutboundSubscribeConfig config() {
  OutboundSubscribeConfig c;
  c.contact = "<sip:gw.imp.test:5061;transport=tls>";
  c.callIdHost = "gw.imp.test";
  return c;
}

TEST(OutboundSubscribe, InitialSubscribeShape) {
  CountingRandom random;
  const auto key = makeSubscriptionKey(jid("alice@imp.test/laptop"), jid("Bob@lync.test"));
  auto built = buildSubscribe(key, config(), random, std::nullopt, "Alice");
  ASSERT_TRUE(built.ok()) << built.error().message;
  const sip::Message& m = built->request;
  EXPECT_EQ(m.method(), "SUBSCRIBE");
  EXPECT_EQ(m.requestUri(), "sip:bob@lync.test");
  EXPECT_EQ(m.get("From"), "\"Alice\" <sip:alice@imp.test>;tag=" + built->localTag);
  EXPECT_EQ(m.get("To"), "<sip:bob@lync.test>");
  EXPECT_EQ(m.get("Call-ID"), built->callId);
  EXPECT_TRUE(built->callId.ends_with("@gw.imp.test"));
  EXPECT_EQ(m.get("CSeq"), "1 SUBSCRIBE");
  EXPECT_EQ(m.get("Max-Forwards"), "70");
  EXPECT_EQ(m.get("Event"), "presence");
  EXPECT_EQ(m.get("Accept"), "application/pidf+xml");
  EXPECT_EQ(m.get("Expires"), "3600");
  EXPECT_EQ(m.get("Contact"), "<sip:gw.imp.test:5061;transport=tls>");
  EXPECT_TRUE(m.has("Allow"));
  // None of Lync's subscription extensions is claimed.
  EXPECT_FALSE(m.has("Supported"));
  EXPECT_FALSE(m.has("Require"));
  EXPECT_TRUE(m.body().empty());
  const sip::Message wire = reparsed(m);
  EXPECT_EQ(wire.get("Event"), "presence");
}

TEST(OutboundSubscribe, TagsAndCallIdsAreFresh) {
  CountingRandom random;
  const auto key = makeSubscriptionKey(jid("alice@imp.test"), jid("bob@lync.test"));
  auto a = buildSubscribe(key, config(), random);
  auto b = buildSubscribe(key, config(), random);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->callId, b->callId);
  EXPECT_NE(a->localTag, b->localTag);
}

TEST(OutboundSubscribe, ExpiresIsConfigurableAndZeroIsAFetch) {
  CountingRandom random;
  const auto key = makeSubscriptionKey(jid("alice@imp.test"), jid("bob@lync.test"));
  OutboundSubscribeConfig c = config();
  c.expires = 28800s;
  auto longer = buildSubscribe(key, c, random);
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(longer->request.get("Expires"), "28800");
  auto fetch = buildSubscribe(key, c, random, 0s);
  ASSERT_TRUE(fetch.ok());
  EXPECT_EQ(fetch->request.get("Expires"), "0");
}

TEST(OutboundSubscribe, Errors) {
  CountingRandom random;
  OutboundSubscribeConfig noContact = config();
  noContact.contact.clear();
  const auto key = makeSubscriptionKey(jid("alice@imp.test"), jid("bob@lync.test"));
  EXPECT_FALSE(buildSubscribe(key, noContact, random).ok());
}

// The 200 from a Lync pool (protocol-notes §3.2: granted 28800, Record-Route with an FQDN).
sip::Message okFor(const sip::Message& subscribe) {
  std::string text = "SIP/2.0 200 OK\n"
                     "Via: SIP/2.0/TLS gw.imp.test:5061;branch=z9hG4bKx\n"
                     "Record-Route: <sip:edge.lync.test:5061;transport=tls;lr>\n"
                     "From: " + std::string(*subscribe.get("From")) + "\n"
                     "To: <sip:bob@lync.test>;tag=lync-tag\n"
                     "Call-ID: " + std::string(*subscribe.get("Call-ID")) + "\n"
                     "CSeq: 1 SUBSCRIBE\n"
                     "Contact: <sip:pool.lync.test:5061;transport=tls>\n"
                     "Expires: 28800\n"
                     "Content-Length: 0\n\n";
  return sipLiteral(text);
}

TEST(OutboundSubscribe, RefreshAndUnsubscribeAreInDialog) {
  CountingRandom random;
  const auto key = makeSubscriptionKey(jid("alice@imp.test"), jid("bob@lync.test"));
  auto built = buildSubscribe(key, config(), random);
  ASSERT_TRUE(built.ok());
  auto dialog = sip::Dialog::asUac(built->request, okFor(built->request), true);
  ASSERT_TRUE(dialog.ok()) << dialog.error().message;

  const sip::Message refresh = buildRefreshSubscribe(*dialog, 28800s);
  EXPECT_EQ(refresh.method(), "SUBSCRIBE");
  EXPECT_EQ(refresh.requestUri(), "sip:pool.lync.test:5061;transport=tls");
  EXPECT_EQ(refresh.get("Route"), "<sip:edge.lync.test:5061;transport=tls;lr>");
  EXPECT_EQ(refresh.get("Call-ID"), built->callId);
  EXPECT_EQ(refresh.get("To"), "<sip:bob@lync.test>;tag=lync-tag");
  EXPECT_EQ(refresh.get("CSeq"), "2 SUBSCRIBE");
  EXPECT_EQ(refresh.get("Event"), "presence");
  EXPECT_EQ(refresh.get("Accept"), "application/pidf+xml");
  EXPECT_EQ(refresh.get("Expires"), "28800");
  EXPECT_EQ(refresh.get("Contact"), "<sip:gw.imp.test:5061;transport=tls>");

  const sip::Message bye = buildUnsubscribe(*dialog);
  EXPECT_EQ(bye.get("CSeq"), "3 SUBSCRIBE");
  EXPECT_EQ(bye.get("Expires"), "0");
  EXPECT_EQ(bye.get("Event"), "presence");
}

TEST(OutboundSubscribe, ClassifiesLocalSubscriptionStanzas) {
  auto kind = [](std::string_view type) {
    std::string text = "<presence xmlns='jabber:client'";
    if (!type.empty()) text += " type='" + std::string(type) + "'";
    return classifyLocalPresence(xmlLiteral(text + "/>"));
  };
  EXPECT_EQ(kind("subscribe"), LocalSubscriptionRequest::subscribe);
  EXPECT_EQ(kind("unsubscribe"), LocalSubscriptionRequest::unsubscribe);
  EXPECT_EQ(kind("subscribed"), LocalSubscriptionRequest::approve);
  EXPECT_EQ(kind("unsubscribed"), LocalSubscriptionRequest::deny);
  EXPECT_EQ(kind("probe"), LocalSubscriptionRequest::probe);
  EXPECT_EQ(kind(""), LocalSubscriptionRequest::none);
  EXPECT_EQ(kind("unavailable"), LocalSubscriptionRequest::none);
}

TEST(OutboundSubscribe, ResponseOutcomes) {
  EXPECT_EQ(outcomeOfSubscribeResponse(200), SubscribeOutcome::accepted);
  EXPECT_EQ(outcomeOfSubscribeResponse(202), SubscribeOutcome::accepted);
  EXPECT_EQ(outcomeOfSubscribeResponse(423), SubscribeOutcome::intervalTooBrief);
  for (int status : {408, 480, 481, 486, 491, 500, 503, 504, 600}) {
    EXPECT_EQ(outcomeOfSubscribeResponse(status), SubscribeOutcome::retryLater) << status;
  }
  for (int status : {301, 400, 403, 404, 405, 489, 501, 603, 604}) {
    EXPECT_EQ(outcomeOfSubscribeResponse(status), SubscribeOutcome::rejected) << status;
  }
  const auto key = makeSubscriptionKey(jid("alice@imp.test/x"), jid("bob@lync.test"));
  EXPECT_EQ(xmlOf(unsubscribedStanza(key)),
            "<presence xmlns=\"jabber:client\" from=\"bob@lync.test\" to=\"alice@imp.test\" "
            "type=\"unsubscribed\"/>");
}

TEST(OutboundSubscriptions, OnePerWatcherAndPresentity) {
  OutboundSubscriptions table;
  const auto alice = makeSubscriptionKey(jid("alice@imp.test/laptop"), jid("bob@lync.test"));
  const auto aliceAgain = makeSubscriptionKey(jid("alice@imp.test/phone"), jid("bob@lync.test"));
  const auto carol = makeSubscriptionKey(jid("carol@imp.test"), jid("bob@lync.test"));
  EXPECT_EQ(alice, aliceAgain);
  EXPECT_TRUE(table.add(alice, "c1", "t1"));
  EXPECT_FALSE(table.add(aliceAgain, "c2", "t2"));  // another resource: same subscription
  // Another local user watching the same remote user gets a subscription of its own.
  EXPECT_TRUE(table.add(carol, "c3", "t3"));
  EXPECT_EQ(table.size(), 2u);

  const auto* byDialog = table.findByDialog("c3", "t3");
  ASSERT_NE(byDialog, nullptr);
  EXPECT_EQ(byDialog->key, carol);
  EXPECT_EQ(table.findByDialog("c2", "t2"), nullptr);
  EXPECT_EQ(table.findByDialog("c1", "t3"), nullptr);

  EXPECT_TRUE(table.replace(alice, "c9", "t9"));
  EXPECT_EQ(table.findByDialog("c1", "t1"), nullptr);
  ASSERT_NE(table.findByDialog("c9", "t9"), nullptr);
  EXPECT_EQ(table.find(alice)->callId, "c9");

  EXPECT_TRUE(table.remove(alice));
  EXPECT_FALSE(table.remove(alice));
  EXPECT_EQ(table.findByDialog("c9", "t9"), nullptr);
  EXPECT_EQ(table.size(), 1u);
}

TEST(OutboundSubscriptions, RegistersABuiltSubscribe) {
  CountingRandom random;
  OutboundSubscriptions table;
  const auto key = makeSubscriptionKey(jid("alice@imp.test"), jid("bob@lync.test"));
  auto built = buildSubscribe(key, config(), random);
  ASSERT_TRUE(built.ok());
  EXPECT_TRUE(table.add(key, *built));
  // A NOTIFY carries our From tag as its To tag.
  const auto* entry = table.findByDialog(built->callId, built->localTag);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->key, key);
}

}  // namespace
}  // namespace impd::gateway::test
