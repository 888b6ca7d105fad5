// buildPidf(): what we send SIMPLE peers and Lync, and that it reads back as sent.
#include <gtest/gtest.h>

#include "codec/simple/namespaces.h"
#include "codec/simple/pidf.h"
#include "codec/simple/rpid.h"

namespace impd::simple {
namespace {

using presence::Availability;

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(PidfBuild, RoundTripsEveryAvailability) {
  for (std::size_t i = 0; i < presence::kAvailabilityCount; ++i) {
    const auto state = static_cast<Availability>(i);
    PresenceDocument doc;
    doc.entity = "alice@example.com";
    doc.open = true;
    doc.availability = state;
    doc.note = "note for " + std::string(presence::availabilityName(state));
    const std::string xml = buildPidf(doc);

    auto back = parsePidf(xml);
    ASSERT_TRUE(back.ok()) << xml;
    EXPECT_EQ(availabilityOf(*back), state) << xml;
    EXPECT_EQ(back->open, state != Availability::offline) << xml;
    EXPECT_EQ(back->entity, "pres:alice@example.com");
    if (state == Availability::offline) continue;
    EXPECT_EQ(back->note, doc.note);
    // available needs no activity; everything else says its state itself.
    if (state != Availability::available) {
      EXPECT_EQ(back->availability, state) << xml;
    }
  }
}

TEST(PidfBuild, BusyDocumentShape) {
  PresenceDocument doc;
  doc.entity = "pres:alice@example.com";
  doc.open = true;
  doc.availability = Availability::busy;
  doc.note = "In a meeting <until 3> & then lunch";
  doc.tupleId = "a1";
  const std::string xml = buildPidf(doc);
  EXPECT_TRUE(contains(xml, R"(<presence xmlns="urn:ietf:params:xml:ns:pidf")"));
  EXPECT_TRUE(contains(xml, R"(xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model")"));
  EXPECT_TRUE(contains(xml, R"(xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid")"));
  EXPECT_FALSE(contains(xml, "cipid"));
  EXPECT_TRUE(contains(xml, R"(entity="pres:alice@example.com")"));
  EXPECT_TRUE(contains(xml, R"(<tuple id="a1">)"));
  EXPECT_TRUE(contains(xml, "<status><basic>open</basic></status>"));
  EXPECT_TRUE(contains(xml, "<dm:person id=\"p1\">"));
  EXPECT_TRUE(contains(xml, "<rpid:activities><rpid:busy/></rpid:activities>"));
  EXPECT_TRUE(contains(xml, "<note>In a meeting &lt;until 3&gt; &amp; then lunch</note>"));
}

TEST(PidfBuild, StatesWithoutAnRfcTokenCarryANearOneAndOther) {
  PresenceDocument doc;
  doc.open = true;
  doc.entity = "a@b";
  doc.availability = Availability::doNotDisturb;
  EXPECT_TRUE(contains(buildPidf(doc),
                       "<rpid:activities><rpid:busy/><rpid:other>do-not-disturb</rpid:other>"));
  doc.availability = Availability::idle;
  const std::string idle = buildPidf(doc);
  EXPECT_TRUE(contains(idle, "<rpid:away/>"));
  EXPECT_TRUE(contains(idle, "<rpid:user-input>idle</rpid:user-input>"));
}

TEST(PidfBuild, AvailableWithoutExtrasHasNoPerson) {
  PresenceDocument doc;
  doc.entity = "sip:a@b";
  doc.open = true;
  const std::string xml = buildPidf(doc);
  EXPECT_FALSE(contains(xml, "person"));
  EXPECT_FALSE(contains(xml, "xmlns:rpid"));
  EXPECT_TRUE(contains(xml, R"(entity="sip:a@b")"));  // a scheme is kept
}

TEST(PidfBuild, OfflineDocumentForPoliteBlocking) {
  const std::string xml = buildOfflinePidf("pres:bob@example.com");
  EXPECT_TRUE(contains(xml, "<basic>closed</basic>"));
  EXPECT_FALSE(contains(xml, "<note"));
  EXPECT_FALSE(contains(xml, "person"));
  auto back = parsePidf(xml);
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->open);
  EXPECT_EQ(back->entity, "pres:bob@example.com");
  EXPECT_TRUE(back->note.empty());
}

TEST(PidfBuild, ClosedDocumentDropsActivities) {
  PresenceDocument doc;
  doc.entity = "a@b";
  doc.open = false;
  doc.availability = Availability::busy;
  doc.note = "Gone home";
  const std::string xml = buildPidf(doc);
  EXPECT_TRUE(contains(xml, "<basic>closed</basic>"));
  EXPECT_FALSE(contains(xml, "busy"));
  EXPECT_TRUE(contains(xml, "<note>Gone home</note>"));
}

TEST(PidfBuild, EveryFieldRoundTrips) {
  PresenceDocument doc;
  doc.entity = "pres:eve@example.net";
  doc.open = true;
  doc.availability = Availability::away;
  doc.activities = {"away"};
  doc.note = "Back at \"five\" o'clock";
  doc.priority = 0.25;
  doc.contact = "sip:eve@example.net;transport=tls";
  doc.tupleId = "eve-1";
  doc.timestamp = "2024-01-02T03:04:05Z";
  doc.displayName = "Eve <Example>";
  doc.idle = false;
  auto back = parsePidf(buildPidf(doc));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, doc);
}

TEST(PidfBuild, PriorityIsClampedToAQvalue) {
  PresenceDocument doc;
  doc.open = true;
  doc.entity = "a@b";
  doc.contact = "sip:a@b";
  doc.priority = 3.7;
  EXPECT_TRUE(contains(buildPidf(doc), R"(<contact priority="1.000">)"));
  doc.priority = -1;
  EXPECT_TRUE(contains(buildPidf(doc), R"(<contact priority="0.000">)"));
}

TEST(PidfBuild, UnsafeValuesAreEscapedOrReplaced) {
  PresenceDocument doc;
  doc.open = true;
  doc.entity = "a\"><evil/>@b";
  doc.tupleId = "1 not an id";
  doc.note = std::string("bad \x01 byte \xff");
  doc.displayName = "</c:display-name>";
  const std::string xml = buildPidf(doc);
  EXPECT_TRUE(contains(xml, R"(<tuple id="t1">)"));
  EXPECT_FALSE(contains(xml, "<evil/>"));
  auto back = parsePidf(xml);
  ASSERT_TRUE(back.ok()) << xml;
  EXPECT_EQ(back->entity, "pres:a\"><evil/>@b");
  EXPECT_EQ(back->displayName, "</c:display-name>");
  EXPECT_EQ(back->note, "bad \xEF\xBF\xBD byte \xEF\xBF\xBD");
}

TEST(RpidSpelling, EveryStateReadsBackAsItself) {
  for (std::size_t i = 0; i < presence::kAvailabilityCount; ++i) {
    const auto state = static_cast<Availability>(i);
    if (state == Availability::available || state == Availability::offline) continue;
    RpidSpelling spelling = rpidSpellingFor(state);
    std::vector<ActivityToken> tokens;
    if (!spelling.activity.empty()) tokens.push_back({std::string(spelling.activity), false});
    if (!spelling.other.empty()) tokens.push_back({std::string(spelling.other), true});
    auto read =
        withUserInput(availabilityFromActivities(presence::System::generic, tokens), spelling.idle);
    EXPECT_EQ(read, state) << presence::availabilityName(state);
  }
}

}  // namespace
}  // namespace impd::simple
