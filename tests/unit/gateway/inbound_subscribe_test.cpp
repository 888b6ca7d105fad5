// Subscriptions, SIP -> XMPP: checking, accepting and reading a remote watcher's SUBSCRIBE,
// and the local user's answer.
#include "gateway/inbound_subscribe.h"

#include <gtest/gtest.h>

#include "base/clock.h"
#include "codec/sip/dialog.h"
#include "gateway/xmpp_to_sip_presence.h"
#include "test_util.h"

namespace impd::gateway::test {
namespace {

using namespace std::chrono_literals;

struct Headers {
  std::string event = "presence";
  std::string accept =
      "application/msrtc-event-categories+xml, text/xml+msrtc.pidf, application/pidf+xml";
  std::string expires = "28800";
  std::string toTag;
  std::string extra;
};

// A Lync pool's SUBSCRIBE (protocol-notes §3.2 lists what its clients put in one).
sip::Message subscribe(const Headers& h = {}) {
  std::string text =
      "SUBSCRIBE sip:alice@imp.test SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bKs1\n"
      "Max-Forwards: 69\n"
      "Record-Route: <sip:edge.lync.test:5061;transport=tls;lr>\n"
      "From: \"Bob\" <sip:bob@lync.test>;tag=bob-tag\n"
      "To: <sip:alice@imp.test>" + (h.toTag.empty() ? "" : ";tag=" + h.toTag) + "\n"
      "Call-ID: 7b3d9a2c@lync.test\n"
      "CSeq: 1 SUBSCRIBE\n"
      "Contact: <sip:bob@10.0.0.7:5061;transport=tls>\n"
      "Supported: ms-benotify, ms-piggyback-first-notify, com.microsoft.autoextend\n"
      "Proxy-Require: ms-benotify\n";
  if (!h.event.empty()) text += "Event: " + h.event + "\n";
  if (!h.accept.empty()) text += "Accept: " + h.accept + "\n";
  if (!h.expires.empty()) text += "Expires: " + h.expires + "\n";
  text += h.extra;
  text += "Content-Length: 0\n\n";
  return sipLiteral(text);
}

const sip::ExpiryPolicy kPolicy{};

TEST(InboundSubscribe, LyncSubscribeIsAcceptedAsInitial) {
  const sip::Message request = subscribe();
  const auto check = checkInboundSubscribe(request, kPolicy, "alice-tag");
  EXPECT_FALSE(check.refusal);
  EXPECT_EQ(check.kind, InboundSubscribeKind::initial);
  EXPECT_EQ(check.requestedExpires, 28800u);
  EXPECT_EQ(check.event, "presence");

  auto stanza = xmppStanzaForInboundSubscribe(request, check.kind);
  ASSERT_TRUE(stanza.ok());
  ASSERT_TRUE(stanza->has_value());
  EXPECT_EQ(xmlOf(**stanza),
            "<presence xmlns=\"jabber:client\" from=\"bob@lync.test\" to=\"alice@imp.test\" "
            "type=\"subscribe\"/>");
}

TEST(InboundSubscribe, OkResponseShape) {
  const sip::Message request = subscribe();
  const sip::Message ok =
      acceptInboundSubscribe(request, "alice-tag", "<sip:gw.imp.test:5061;transport=tls>", 28800s);
  EXPECT_EQ(ok.status(), 200);  // never 202 (RFC 6665)
  EXPECT_EQ(ok.get("Via"), "SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bKs1");
  EXPECT_EQ(ok.get("From"), "\"Bob\" <sip:bob@lync.test>;tag=bob-tag");
  EXPECT_EQ(ok.get("To"), "<sip:alice@imp.test>;tag=alice-tag");
  EXPECT_EQ(ok.get("Call-ID"), "7b3d9a2c@lync.test");
  EXPECT_EQ(ok.get("CSeq"), "1 SUBSCRIBE");
  EXPECT_EQ(ok.get("Expires"), "28800");
  EXPECT_EQ(ok.get("Contact"), "<sip:gw.imp.test:5061;transport=tls>");
  EXPECT_EQ(ok.get("Record-Route"), "<sip:edge.lync.test:5061;transport=tls;lr>");
  reparsed(ok);
}

TEST(InboundSubscribe, RefreshAndUnsubscribeMeanNothingToXmpp) {
  Headers refresh;
  refresh.toTag = "alice-tag";
  auto request = subscribe(refresh);
  auto check = checkInboundSubscribe(request, kPolicy, "alice-tag");
  EXPECT_FALSE(check.refusal);
  EXPECT_EQ(check.kind, InboundSubscribeKind::refresh);
  auto stanza = xmppStanzaForInboundSubscribe(request, check.kind);
  ASSERT_TRUE(stanza.ok());
  EXPECT_FALSE(stanza->has_value());
  // A refresh answer keeps the To tag it had and adds no Record-Route.
  const sip::Message ok = acceptInboundSubscribe(request, "other", "<sip:gw.imp.test>", 3600s);
  EXPECT_EQ(ok.get("To"), "<sip:alice@imp.test>;tag=alice-tag");
  EXPECT_FALSE(ok.has("Record-Route"));

  // Expires: 0 ends the SIP subscription only: no XMPP unsubscribe, the roster stays.
  Headers leave;
  leave.toTag = "alice-tag";
  leave.expires = "0";
  request = subscribe(leave);
  check = checkInboundSubscribe(request, kPolicy, "alice-tag");
  EXPECT_FALSE(check.refusal);
  EXPECT_EQ(check.kind, InboundSubscribeKind::unsubscribe);
  stanza = xmppStanzaForInboundSubscribe(request, check.kind);
  ASSERT_TRUE(stanza.ok());
  EXPECT_FALSE(stanza->has_value());

  Headers fetch;
  fetch.expires = "0";
  request = subscribe(fetch);
  check = checkInboundSubscribe(request, kPolicy, "alice-tag");
  EXPECT_EQ(check.kind, InboundSubscribeKind::fetch);
  stanza = xmppStanzaForInboundSubscribe(request, check.kind);
  ASSERT_TRUE(stanza.ok());
  EXPECT_FALSE(stanza->has_value());
}

TEST(InboundSubscribe, MissingExpiresAndAcceptAreFine) {
  Headers h;
  h.expires.clear();
  h.accept.clear();
  const auto check = checkInboundSubscribe(subscribe(h), kPolicy, "alice-tag");
  EXPECT_FALSE(check.refusal);
  EXPECT_FALSE(check.requestedExpires);
  EXPECT_EQ(sip::decideExpires(check.requestedExpires, kPolicy).granted, 3600s);
}

TEST(InboundSubscribe, WildcardAcceptIsFine) {
  Headers h;
  h.accept = "application/*";
  EXPECT_FALSE(checkInboundSubscribe(subscribe(h), kPolicy, "alice-tag").refusal);
  h.accept = "*/*";
  EXPECT_FALSE(checkInboundSubscribe(subscribe(h), kPolicy, "alice-tag").refusal);
}

TEST(InboundSubscribe, Refusals) {
  struct Case {
    Headers headers;
    int status;
    std::string_view header;
    std::string_view value;
  };
  Headers badEvent;
  badEvent.event = "presence.winfo";
  Headers noEvent;
  noEvent.event.clear();
  Headers batched;
  batched.extra = "Require: adhoclist, categoryList\n";
  Headers noPidf;
  noPidf.accept = "application/msrtc-event-categories+xml, text/xml+msrtc.pidf";
  Headers pidfRefused;
  pidfRefused.accept = "application/pidf+xml;q=0";
  Headers badExpires;
  badExpires.expires = "soon";
  Headers brief;
  brief.expires = "30";
  const Case cases[] = {
      {badEvent, 489, "Allow-Events", "presence"},
      {noEvent, 489, "Allow-Events", "presence"},
      {batched, 420, "Unsupported", "adhoclist, categoryList"},
      {noPidf, 406, "Accept", "application/pidf+xml"},
      {pidfRefused, 406, "Accept", "application/pidf+xml"},
      {badExpires, 400, "", ""},
      {brief, 423, "Min-Expires", "60"},
  };
  for (const Case& c : cases) {
    const auto check = checkInboundSubscribe(subscribe(c.headers), kPolicy, "alice-tag");
    ASSERT_TRUE(check.refusal) << c.status;
    EXPECT_EQ(check.refusal->status(), c.status);
    EXPECT_EQ(check.refusal->get("Call-ID"), "7b3d9a2c@lync.test");
    EXPECT_EQ(check.refusal->get("To"), "<sip:alice@imp.test>;tag=alice-tag");
    if (!c.header.empty()) {
      EXPECT_EQ(check.refusal->get(c.header), c.value) << c.status;
    }
  }
}

TEST(InboundSubscribe, UnmappableWatcherIsAnError) {
  sip::Message request = subscribe();
  request.set("From", "<sip:john%20doe@lync.test>;tag=x");
  auto stanza = xmppStanzaForInboundSubscribe(request, InboundSubscribeKind::initial);
  ASSERT_FALSE(stanza.ok());
  EXPECT_EQ(stanza.error().condition, "jid-malformed");
}

struct Notifier {
  FakeClock clock;
  sip::Message request = subscribe();
  sip::Dialog dialog = *sip::Dialog::asUas(request, "alice-tag", "<sip:gw.imp.test>");
  sip::NotifierSubscription subscription;
  Notifier() { EXPECT_TRUE(subscription.onSubscribe(28800, clock.now()).ok()); }
};

TEST(InboundSubscribe, ApproveSendsTheCurrentPresence) {
  Notifier n;
  auto body = applyLocalAnswer(LocalSubscriptionRequest::approve, n.subscription,
                               jid("alice@imp.test"), "<presence>current</presence>");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, "<presence>current</presence>");
  EXPECT_EQ(n.subscription.state(), sip::SubscriptionState::Active);
  const sip::Message notify = buildPresenceNotify(n.dialog, n.subscription, n.clock.now(), *body);
  EXPECT_EQ(notify.get("Subscription-State"), "active;expires=28800");
  EXPECT_EQ(notify.body(), *body);
}

TEST(InboundSubscribe, DenyIsAPoliteBlockByDefault) {
  Notifier n;
  auto body = applyLocalAnswer(LocalSubscriptionRequest::deny, n.subscription,
                               jid("alice@imp.test"), "<presence>current</presence>");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(n.subscription.state(), sip::SubscriptionState::Active);
  EXPECT_NE(body->find("<basic>closed</basic>"), std::string::npos);
  EXPECT_EQ(body->find("current"), std::string::npos);
}

TEST(InboundSubscribe, DenyCanRejectInstead) {
  Notifier n;
  auto body = applyLocalAnswer(LocalSubscriptionRequest::deny, n.subscription,
                               jid("alice@imp.test"), "<presence/>", DenyStyle::reject);
  ASSERT_TRUE(body.ok());
  EXPECT_TRUE(body->empty());
  EXPECT_EQ(n.subscription.state(), sip::SubscriptionState::Terminated);
  const sip::Message notify = buildPresenceNotify(n.dialog, n.subscription, n.clock.now(), *body);
  EXPECT_EQ(notify.get("Subscription-State"), "terminated;reason=rejected");
}

TEST(InboundSubscribe, FetchAnswerCarriesTheStateOnlyWhenGiven) {
  Notifier n;
  ASSERT_TRUE(applyLocalAnswer(LocalSubscriptionRequest::approve, n.subscription,
                               jid("alice@imp.test"), "")
                  .ok());
  // The watcher's Expires: 0 ends the subscription; its last NOTIFY carries the state.
  ASSERT_TRUE(n.subscription.onSubscribe(0, n.clock.now()).ok());
  sip::Message last = buildPresenceNotify(n.dialog, n.subscription, n.clock.now(), "<presence/>");
  EXPECT_EQ(last.get("Subscription-State"), "terminated;reason=timeout");
  EXPECT_EQ(last.body(), "<presence/>");
  last = buildPresenceNotify(n.dialog, n.subscription, n.clock.now(), "");
  EXPECT_TRUE(last.body().empty());
}

TEST(InboundSubscribe, OnlyAnswersAreAnswers) {
  Notifier n;
  EXPECT_FALSE(applyLocalAnswer(LocalSubscriptionRequest::subscribe, n.subscription,
                                jid("alice@imp.test"), "")
                   .ok());
  EXPECT_EQ(n.subscription.state(), sip::SubscriptionState::Pending);
}

}  // namespace
}  // namespace impd::gateway::test
