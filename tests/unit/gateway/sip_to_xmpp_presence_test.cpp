// Presence, SIP -> XMPP: what a NOTIFY of our subscription means to the local watcher, with
// the RFC 8048 subscription-state table.
#include "gateway/sip_to_xmpp_presence.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace impd::gateway::test {
namespace {

using presence::System;

// Lync's federation PIDF (protocol-notes §2.3: activity inside the tuple's status).
constexpr std::string_view kLyncBusy =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:bob@lync.test\">\n"
    "<tuple id=\"0\"><status><basic>open</basic>"
    "<activities><activity>busy</activity></activities></status>"
    "<contact>sip:bob@lync.test</contact></tuple>\n"
    "<display-name xmlns=\"urn:ietf:params:xml:ns:pidf:cipid\">Bob</display-name>\n"
    "<note>In a call</note>\n"
    "</presence>\n";

constexpr std::string_view kClosed =
    "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:bob@lync.test\">"
    "<tuple id=\"0\"><status><basic>closed</basic></status></tuple></presence>";

constexpr std::string_view kAvailable =
    "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:bob@lync.test\">"
    "<tuple id=\"0\"><status><basic>open</basic></status>"
    "<timestamp>2024-05-01T10:00:00Z</timestamp></tuple></presence>";

sip::Message notify(std::string_view state, std::string_view body = {},
                    std::string_view type = "application/pidf+xml",
                    std::string_view event = "presence") {
  std::string text =
      "NOTIFY sip:gw.imp.test:5061;transport=tls SIP/2.0\n"
      "Via: SIP/2.0/TLS pool.lync.test:5061;branch=z9hG4bKn1\n"
      "Max-Forwards: 70\n"
      "From: <sip:bob@lync.test>;tag=bob-n\n"
      "To: <sip:alice@imp.test>;tag=alice-s\n"
      "Call-ID: sub-1@imp.test\n"
      "CSeq: 1 NOTIFY\n"
      "Contact: <sip:pool.lync.test:5061;transport=tls>\n";
  if (!event.empty()) text += "Event: " + std::string(event) + "\n";
  if (!state.empty()) text += "Subscription-State: " + std::string(state) + "\n";
  if (!body.empty()) text += "Content-Type: " + std::string(type) + "\n";
  text += "\n";
  text += body;
  return sipLiteral(text);
}

NotifyContext context(bool approved = false, std::string lastResource = {}) {
  NotifyContext c;
  c.watcher = jid("alice@imp.test");
  c.presentity = jid("bob@lync.test");
  c.peer = System::lync;
  c.approved = approved;
  c.lastResource = std::move(lastResource);
  return c;
}

NotifyTranslation translated(const sip::Message& message, const NotifyContext& c) {
  auto out = translateNotify(message, c);
  EXPECT_TRUE(out.ok()) << (out ? "" : out.error().message);
  return out ? std::move(*out) : NotifyTranslation{};
}

TEST(SipToXmppPresence, FirstActiveNotifyApprovesThenShowsPresence) {
  const auto out = translated(notify("active;expires=28800", kLyncBusy), context());
  EXPECT_EQ(out.meaning, NotifyMeaning::subscriptionApproved);
  ASSERT_EQ(out.stanzas.size(), 2u);
  EXPECT_EQ(xmlOf(out.stanzas[0]),
            "<presence xmlns=\"jabber:client\" from=\"bob@lync.test\" to=\"alice@imp.test\" "
            "type=\"subscribed\"/>");
  // Lync's Busy reaches a standard client as away + "Busy" (seed table 4).
  EXPECT_EQ(xmlOf(out.stanzas[1]),
            "<presence xmlns=\"jabber:client\" from=\"bob@lync.test/0\" to=\"alice@imp.test\">"
            "<show>away</show><status>Busy</status></presence>");
  EXPECT_EQ(out.resource, "0");
  EXPECT_EQ(out.state.expires, 28800u);
}

TEST(SipToXmppPresence, LaterActiveNotifyIsPresenceOnly) {
  const auto out = translated(notify("active;expires=3000", kAvailable), context(true, "0"));
  EXPECT_EQ(out.meaning, NotifyMeaning::presence);
  ASSERT_EQ(out.stanzas.size(), 1u);
  EXPECT_EQ(xmlOf(out.stanzas[0]),
            "<presence xmlns=\"jabber:client\" from=\"bob@lync.test/0\" to=\"alice@imp.test\">"
            "<delay xmlns=\"urn:xmpp:delay\" from=\"lync.test\" stamp=\"2024-05-01T10:00:00Z\"/>"
            "</presence>");
}

TEST(SipToXmppPresence, ClosedIsUnavailableForTheShownResource) {
  const auto out = translated(notify("active;expires=3000", kClosed), context(true, "0"));
  EXPECT_EQ(out.meaning, NotifyMeaning::presence);
  ASSERT_EQ(out.stanzas.size(), 1u);
  EXPECT_EQ(xmlOf(out.stanzas[0]),
            "<presence xmlns=\"jabber:client\" from=\"bob@lync.test/0\" to=\"alice@imp.test\" "
            "type=\"unavailable\"/>");
  EXPECT_EQ(out.resource, "");
}

TEST(SipToXmppPresence, ChangedTupleIdRetiresTheOldResource) {
  const auto out = translated(notify("active;expires=3000", kAvailable), context(true, "old"));
  ASSERT_EQ(out.stanzas.size(), 2u);
  EXPECT_EQ(out.stanzas[0].attr("from"), "bob@lync.test/old");
  EXPECT_EQ(out.stanzas[0].attr("type"), "unavailable");
  EXPECT_EQ(out.stanzas[1].attr("from"), "bob@lync.test/0");
  EXPECT_EQ(out.resource, "0");
}

TEST(SipToXmppPresence, BareJidWhenNotSynthesizing) {
  NotifyContext c = context(true);
  c.synthesizeResource = false;
  const auto out = translated(notify("active", kAvailable), c);
  ASSERT_EQ(out.stanzas.size(), 1u);
  EXPECT_EQ(out.stanzas[0].attr("from"), "bob@lync.test");
}

TEST(SipToXmppPresence, PresenceComesFromThePresentityNotTheEntity) {
  constexpr std::string_view spoofed =
      "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:ceo@imp.test\">"
      "<tuple id=\"0\"><status><basic>open</basic></status></tuple></presence>";
  const auto out = translated(notify("active", spoofed), context(true));
  ASSERT_EQ(out.stanzas.size(), 1u);
  EXPECT_EQ(out.stanzas[0].attr("from"), "bob@lync.test/0");
}

TEST(SipToXmppPresence, UnreadableOrForeignBodiesAreIgnored) {
  auto out = translated(notify("active", "<not-closed"), context(true));
  EXPECT_EQ(out.meaning, NotifyMeaning::ignore);
  EXPECT_TRUE(out.stanzas.empty());
  out = translated(notify("active", "<categories/>", "application/msrtc-event-categories+xml"),
                   context(true));
  EXPECT_EQ(out.meaning, NotifyMeaning::ignore);
  out = translated(notify("active"), context(true));
  EXPECT_EQ(out.meaning, NotifyMeaning::ignore);
  // Still approval the first time, even without a readable document.
  out = translated(notify("active"), context(false));
  EXPECT_EQ(out.meaning, NotifyMeaning::subscriptionApproved);
  ASSERT_EQ(out.stanzas.size(), 1u);
}

TEST(SipToXmppPresence, ErrorsForTheSipAnswer) {
  auto out = translateNotify(notify("active", kAvailable, "application/pidf+xml", "dialog"),
                             context());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().condition, "bad-event");
  out = translateNotify(notify("active", kAvailable, "application/pidf+xml", ""), context());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().condition, "bad-event");
  out = translateNotify(notify(""), context());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().condition, "bad-request");
  out = translateNotify(notify("sleepy"), context());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().condition, "bad-request");
}

// RFC 8048's mapping, one row per Subscription-State value.
TEST(SipToXmppPresence, SubscriptionStateTable) {
  struct Row {
    std::string_view state;
    bool approved;
    std::string_view body;
    NotifyMeaning meaning;
    std::vector<std::string_view> types;  // stanza types in order ("" = available)
  };
  const Row rows[] = {
      {"pending;expires=3600", false, "", NotifyMeaning::pending, {}},
      {"pending", true, kAvailable, NotifyMeaning::pending, {}},
      {"active;expires=3600", false, "", NotifyMeaning::subscriptionApproved, {"subscribed"}},
      {"active;expires=3600", false, kAvailable, NotifyMeaning::subscriptionApproved,
       {"subscribed", ""}},
      {"active;expires=3600", true, kAvailable, NotifyMeaning::presence, {""}},
      {"active;expires=3600", true, kClosed, NotifyMeaning::presence, {"unavailable"}},
      {"terminated;reason=rejected", false, "", NotifyMeaning::subscriptionRejected,
       {"unsubscribed"}},
      {"terminated;reason=rejected", true, "", NotifyMeaning::subscriptionRejected,
       {"unsubscribed", "unavailable"}},
      {"terminated;reason=noresource", true, "", NotifyMeaning::subscriptionRejected,
       {"unsubscribed", "unavailable"}},
      {"terminated;reason=deactivated", true, "", NotifyMeaning::subscriptionEndedRetry, {}},
      {"terminated;reason=timeout", true, "", NotifyMeaning::subscriptionEndedRetry, {}},
      {"terminated;reason=probation;retry-after=30", true, "",
       NotifyMeaning::subscriptionEndedRetry, {}},
      {"terminated;reason=giveup", true, "", NotifyMeaning::subscriptionEndedRetry, {}},
      {"terminated", true, "", NotifyMeaning::subscriptionEndedRetry, {}},
      // A one-shot fetch (Expires: 0) answers with terminated + the state.
      {"terminated;reason=timeout", true, kAvailable, NotifyMeaning::subscriptionEndedRetry,
       {""}},
      {"terminated;reason=invariant", true, kAvailable, NotifyMeaning::presence, {""}},
      {"terminated;reason=invariant", true, "", NotifyMeaning::ignore, {}},
  };
  for (const Row& row : rows) {
    const auto out = translated(notify(row.state, row.body), context(row.approved));
    EXPECT_EQ(out.meaning, row.meaning) << row.state << " approved=" << row.approved
                                        << " got " << toString(out.meaning);
    ASSERT_EQ(out.stanzas.size(), row.types.size()) << row.state;
    for (std::size_t i = 0; i < row.types.size(); ++i) {
      EXPECT_EQ(out.stanzas[i].attr("type"), row.types[i]) << row.state << " #" << i;
      EXPECT_EQ(out.stanzas[i].attr("to"), "alice@imp.test");
    }
  }
}

TEST(SipToXmppPresence, RejectionRetiresTheShownResource) {
  const auto out = translated(notify("terminated;reason=rejected"), context(true, "0"));
  ASSERT_EQ(out.stanzas.size(), 2u);
  EXPECT_EQ(out.stanzas[0].attr("from"), "bob@lync.test");
  EXPECT_EQ(out.stanzas[1].attr("from"), "bob@lync.test/0");
  EXPECT_EQ(out.resource, "");
}

TEST(SipToXmppPresence, ResourceSynthesisIsStable) {
  EXPECT_EQ(resourceForTuple("0"), "0");
  EXPECT_EQ(resourceForTuple("bs35r9"), "bs35r9");
  EXPECT_EQ(resourceForTuple(""), "sip");
  const std::string odd = resourceForTuple("tuple with spaces/and slashes");
  EXPECT_EQ(odd.size(), 17u);
  EXPECT_EQ(odd.front(), 't');
  EXPECT_EQ(odd, resourceForTuple("tuple with spaces/and slashes"));
  EXPECT_NE(odd, resourceForTuple("tuple with spaces/and slashez"));
  EXPECT_EQ(resourceForTuple(std::string(65, 'a')).size(), 17u);
}

}  // namespace
}  // namespace impd::gateway::test
