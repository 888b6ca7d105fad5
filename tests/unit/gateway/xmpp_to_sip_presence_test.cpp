// Presence, XMPP -> SIP: PIDF from a local user's <presence/>, and the NOTIFY that carries it.
#include "gateway/xmpp_to_sip_presence.h"

#include <gtest/gtest.h>

#include "base/clock.h"
#include "codec/sip/headers.h"
#include "test_util.h"

namespace impd::gateway::test {
namespace {

using presence::Availability;
using presence::System;
using namespace std::chrono_literals;

const xmpp::Jid kUser = jid("alice@imp.test/laptop");

simple::PresenceDocument documentFor(std::string_view stanza, System watcher) {
  auto doc = pidfDocumentForPresence(xmlLiteral(stanza), kUser, watcher);
  EXPECT_TRUE(doc.ok()) << (doc ? "" : doc.error().message);
  return doc ? std::move(*doc) : simple::PresenceDocument{};
}

TEST(XmppToSipPresence, AvailableIsOpenWithoutActivity) {
  const auto doc = documentFor("<presence xmlns='jabber:client'/>", System::lync);
  EXPECT_EQ(doc.entity, "pres:alice@imp.test");
  EXPECT_TRUE(doc.open);
  EXPECT_EQ(doc.availability, Availability::available);
  EXPECT_EQ(doc.note, "");
  auto body = pidfForPresence(xmlLiteral("<presence xmlns='jabber:client'/>"), kUser, System::lync);
  ASSERT_TRUE(body.ok());
  EXPECT_NE(body->find("entity=\"pres:alice@imp.test\""), std::string::npos);
  EXPECT_NE(body->find("<basic>open</basic>"), std::string::npos);
  EXPECT_EQ(body->find("rpid:activities"), std::string::npos);
}

TEST(XmppToSipPresence, StatusBecomesNote) {
  const auto doc = documentFor(
      "<presence xmlns='jabber:client'><show>away</show><status xml:lang='de'>Mittag</status>"
      "<status>At lunch</status></presence>",
      System::generic);
  EXPECT_EQ(doc.availability, Availability::away);
  EXPECT_EQ(doc.note, "At lunch");
}

// The seed's table 6 (standard XMPP client -> Lync) and table 3 (-> OCS).
TEST(XmppToSipPresence, LyncSeesTheTableSixStates) {
  struct Row {
    std::string_view show;
    Availability lync;
  };
  for (const Row& row : {Row{"", Availability::available}, Row{"chat", Availability::available},
                         Row{"away", Availability::away}, Row{"xa", Availability::away},
                         Row{"dnd", Availability::busy}}) {
    std::string stanza = "<presence xmlns='jabber:client'>";
    if (!row.show.empty()) stanza += "<show>" + std::string(row.show) + "</show>";
    stanza += "</presence>";
    for (System watcher : {System::lync, System::ocs}) {
      const auto doc = documentFor(stanza, watcher);
      EXPECT_TRUE(doc.open);
      EXPECT_EQ(doc.availability, row.lync) << row.show;
    }
  }
}

TEST(XmppToSipPresence, FoldedStateKeepsTheRicherLabelInTheNote) {
  auto doc = documentFor("<presence xmlns='jabber:client'><show>dnd</show></presence>",
                         System::lync);
  EXPECT_EQ(doc.availability, Availability::busy);
  EXPECT_EQ(doc.note, "Do not disturb");
  doc = documentFor("<presence xmlns='jabber:client'><show>xa</show></presence>", System::lync);
  EXPECT_EQ(doc.note, "Extended away");
  // The user's own words win over the label.
  doc = documentFor(
      "<presence xmlns='jabber:client'><show>dnd</show><status>In a call</status></presence>",
      System::lync);
  EXPECT_EQ(doc.note, "In a call");
}

TEST(XmppToSipPresence, GenericPeerGetsTheCanonicalState) {
  auto doc = documentFor("<presence xmlns='jabber:client'><show>xa</show></presence>",
                         System::generic);
  EXPECT_EQ(doc.availability, Availability::extendedAway);
  EXPECT_EQ(doc.note, "");
  doc = documentFor("<presence xmlns='jabber:client'><show>dnd</show></presence>", System::generic);
  EXPECT_EQ(doc.availability, Availability::doNotDisturb);
  // A standard client's away + "Idle" is idle (table 10's reading).
  doc = documentFor(
      "<presence xmlns='jabber:client'><show>away</show><status>Idle</status></presence>",
      System::generic);
  EXPECT_EQ(doc.availability, Availability::idle);
}

TEST(XmppToSipPresence, UnknownShowReadsAsAvailable) {
  const auto doc = documentFor("<presence xmlns='jabber:client'><show>busy</show></presence>",
                               System::lync);
  EXPECT_EQ(doc.availability, Availability::available);
}

TEST(XmppToSipPresence, UnavailableIsClosed) {
  auto body = pidfForPresence(
      xmlLiteral("<presence xmlns='jabber:client' type='unavailable'/>"), kUser, System::lync);
  ASSERT_TRUE(body.ok());
  EXPECT_NE(body->find("<basic>closed</basic>"), std::string::npos);
  auto parsed = simple::parsePidf(*body);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->open);
}

TEST(XmppToSipPresence, SubscriptionStanzasCarryNoState) {
  for (std::string_view type : {"subscribe", "subscribed", "unsubscribe", "probe", "error"}) {
    const std::string stanza = "<presence xmlns='jabber:client' type='" + std::string(type) + "'/>";
    auto doc = pidfDocumentForPresence(xmlLiteral(stanza), kUser, System::lync);
    ASSERT_FALSE(doc.ok()) << type;
    EXPECT_EQ(doc.error().condition, "bad-request");
  }
}

TEST(XmppToSipPresence, RoundTripThroughThePidfReader) {
  auto body = pidfForPresence(
      xmlLiteral("<presence xmlns='jabber:client'><show>away</show><status>brb &amp; "
                 "&lt;back&gt;</status></presence>"),
      kUser, System::lync);
  ASSERT_TRUE(body.ok());
  auto parsed = simple::parsePidf(*body, System::lync);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->open);
  EXPECT_EQ(simple::availabilityOf(*parsed), Availability::away);
  EXPECT_EQ(parsed->note, "brb & <back>");
}

TEST(XmppToSipPresence, PoliteBlockShowsOfflineAndNothingElse) {
  auto body = politeBlockPidf(kUser);
  ASSERT_TRUE(body.ok());
  EXPECT_NE(body->find("entity=\"pres:alice@imp.test\""), std::string::npos);
  EXPECT_NE(body->find("<basic>closed</basic>"), std::string::npos);
  EXPECT_EQ(body->find("<note"), std::string::npos);
  EXPECT_EQ(body->find("activities"), std::string::npos);
}

// A Lync watcher's SUBSCRIBE, as protocol-notes §3.2 describes it.
const char* const kLyncSubscribe =
    "SUBSCRIBE sip:alice@imp.test SIP/2.0\n"
    "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bKlync1\n"
    "Max-Forwards: 69\n"
    "Record-Route: <sip:edge.lync.test:5061;transport=tls;lr>\n"
    "From: \"Bob\" <sip:bob@lync.test>;tag=bob-tag;epid=01010101\n"
    "To: <sip:alice@imp.test>\n"
    "Call-ID: 7b3d9a2c@lync.test\n"
    "CSeq: 1 SUBSCRIBE\n"
    "Contact: <sip:bob@10.0.0.7:5061;transport=tls;ms-opaque=d3470f2e1d>\n"
    "Event: presence;id=42\n"
    "Accept: application/msrtc-event-categories+xml, text/xml+msrtc.pidf, "
    "application/pidf+xml\n"
    "Supported: ms-benotify, ms-piggyback-first-notify, com.microsoft.autoextend\n"
    "Proxy-Require: ms-benotify\n"
    "Expires: 28800\n"
    "Content-Length: 0\n\n";

TEST(XmppToSipPresence, NotifyFollowsTheSubscriptionState) {
  FakeClock clock;
  const sip::Message subscribe = sipLiteral(kLyncSubscribe);
  auto dialog = sip::Dialog::asUas(subscribe, "alice-tag", "<sip:gw.imp.test:5061;transport=tls>");
  ASSERT_TRUE(dialog.ok());
  sip::NotifierSubscription subscription;
  ASSERT_TRUE(subscription.onSubscribe(28800, clock.now()).ok());

  // Pending: no body even when one is offered.
  sip::Message pending = buildPresenceNotify(*dialog, subscription, clock.now(), "<presence/>",
                                             "presence;id=42");
  EXPECT_EQ(pending.method(), "NOTIFY");
  EXPECT_EQ(pending.requestUri(), "sip:bob@10.0.0.7:5061;transport=tls;ms-opaque=d3470f2e1d");
  EXPECT_EQ(pending.get("Route"), "<sip:edge.lync.test:5061;transport=tls;lr>");
  EXPECT_EQ(pending.get("From"), "<sip:alice@imp.test>;tag=alice-tag");
  EXPECT_EQ(pending.get("To"), "\"Bob\" <sip:bob@lync.test>;tag=bob-tag;epid=01010101");
  EXPECT_EQ(pending.get("Call-ID"), "7b3d9a2c@lync.test");
  EXPECT_EQ(pending.get("CSeq"), "1 NOTIFY");
  EXPECT_EQ(pending.get("Event"), "presence;id=42");
  EXPECT_EQ(pending.get("Subscription-State"), "pending;expires=28800");
  EXPECT_EQ(pending.get("Contact"), "<sip:gw.imp.test:5061;transport=tls>");
  EXPECT_TRUE(pending.body().empty());
  EXPECT_FALSE(pending.has("Content-Type"));

  clock.advance(100s);
  subscription.activate();
  auto pidf = pidfForPresence(xmlLiteral("<presence xmlns='jabber:client'/>"), kUser,
                              System::lync);
  ASSERT_TRUE(pidf.ok());
  sip::Message active = buildPresenceNotify(*dialog, subscription, clock.now(), *pidf);
  EXPECT_EQ(active.get("CSeq"), "2 NOTIFY");
  EXPECT_EQ(active.get("Event"), "presence");
  EXPECT_EQ(active.get("Subscription-State"), "active;expires=28700");
  EXPECT_EQ(active.get("Content-Type"), "application/pidf+xml");
  EXPECT_EQ(active.body(), *pidf);
  reparsed(active);  // well-formed on the wire

  subscription.terminate(sip::TerminationReason::Rejected);
  sip::Message ended = buildPresenceNotify(*dialog, subscription, clock.now(), *pidf);
  EXPECT_EQ(ended.get("CSeq"), "3 NOTIFY");
  EXPECT_EQ(ended.get("Subscription-State"), "terminated;reason=rejected");
  EXPECT_TRUE(ended.body().empty());
}

}  // namespace
}  // namespace impd::gateway::test
