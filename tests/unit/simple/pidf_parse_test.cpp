// parsePidf() on the documents peers send: the RFC examples, Lync's federation subset, and
// what a tolerant reader must survive.
#include <gtest/gtest.h>

#include "codec/simple/pidf.h"

namespace impd::simple {
namespace {

using presence::Availability;
using presence::System;

PresenceDocument parsed(std::string_view xml, System from = System::generic) {
  auto doc = parsePidf(xml, from);
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().message);
  return doc.ok() ? doc.value() : PresenceDocument{};
}

// RFC 3863 section 6's example: two open tuples, the one with the higher priority wins.
constexpr std::string_view kRfc3863 = R"(<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf"
    xmlns:im="urn:ietf:params:xml:ns:pidf:im"
    xmlns:myex="http://id.example.com/presence/"
    entity="pres:someone@example.com">
  <tuple id="bs35r9">
    <status>
      <basic>open</basic>
      <im:im>busy</im:im>
      <myex:location>home</myex:location>
    </status>
    <contact priority="0.8">im:someone@mobilecarrier.net</contact>
    <note xml:lang="en">Don't Disturb Please!</note>
    <note xml:lang="fr">Ne derangez pas, s'il vous plait</note>
    <timestamp>2001-10-27T16:49:29Z</timestamp>
  </tuple>
  <tuple id="eg92n8">
    <status>
      <basic>open</basic>
    </status>
    <contact priority="1.0">mailto:someone@example.com</contact>
  </tuple>
  <note>I'll be in Tokyo next week</note>
</presence>
)";

TEST(PidfParse, Rfc3863Example) {
  PresenceDocument doc = parsed(kRfc3863);
  EXPECT_EQ(doc.entity, "pres:someone@example.com");
  EXPECT_TRUE(doc.open);
  EXPECT_EQ(doc.tupleId, "eg92n8");
  EXPECT_EQ(doc.contact, "mailto:someone@example.com");
  ASSERT_TRUE(doc.priority.has_value());
  EXPECT_DOUBLE_EQ(*doc.priority, 1.0);
  EXPECT_EQ(doc.note, "I'll be in Tokyo next week");  // the chosen tuple has none
  EXPECT_FALSE(doc.timestamp.has_value());
  EXPECT_FALSE(doc.availability.has_value());
  EXPECT_EQ(availabilityOf(doc), Availability::available);
}

TEST(PidfParse, TupleNoteBeatsDocumentNoteAndFirstLanguageWins) {
  std::string xml(kRfc3863);
  xml.replace(xml.find("priority=\"1.0\""), 14, "priority=\"0.5\"");  // bs35r9 (0.8) wins
  PresenceDocument doc = parsed(xml);
  EXPECT_EQ(doc.tupleId, "bs35r9");
  EXPECT_EQ(doc.note, "Don't Disturb Please!");
  EXPECT_EQ(doc.timestamp, "2001-10-27T16:49:29Z");
}

// Modelled on RFC 4480's example: person activities, a device that went idle, notes at every
// level, extension elements everywhere.
constexpr std::string_view kRfc4480 = R"(<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf"
     xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
     xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
     xmlns:c="urn:ietf:params:xml:ns:pidf:cipid"
     entity="pres:someone@example.com">
  <tuple id="bs35r9">
    <status><basic>open</basic></status>
    <dm:deviceID>urn:device:0003ba4811e3</dm:deviceID>
    <rpid:relationship><rpid:self/></rpid:relationship>
    <contact priority="0.8">im:someone@mobilecarrier.net</contact>
    <note xml:lang="en">Don't Disturb Please!</note>
    <timestamp>2005-10-27T16:49:29Z</timestamp>
  </tuple>
  <tuple id="ty4658">
    <status><basic>open</basic></status>
    <rpid:relationship><rpid:assistant/></rpid:relationship>
    <contact priority="1.0">mailto:secretary@example.com</contact>
  </tuple>
  <tuple id="eg92n8">
    <status><basic>open</basic></status>
    <rpid:class>email</rpid:class>
    <contact priority="1.0">mailto:someone@example.com</contact>
  </tuple>
  <note>I'll be in Tokyo next week</note>
  <dm:device id="pc147">
    <rpid:user-input idle-threshold="600"
        last-input="2004-10-21T13:20:00.000-05:00">idle</rpid:user-input>
    <dm:deviceID>urn:device:0003ba4811e3</dm:deviceID>
    <dm:note>PC</dm:note>
  </dm:device>
  <dm:person id="p1">
    <rpid:activities from="2005-05-30T12:00:00+05:00" until="2005-05-30T17:00:00+05:00">
      <rpid:note>Far away</rpid:note>
      <rpid:away/>
    </rpid:activities>
    <rpid:mood><rpid:angry/><rpid:other>brooding</rpid:other></rpid:mood>
    <rpid:sphere>bowling league</rpid:sphere>
    <c:display-name>Some One</c:display-name>
    <dm:note>Scoring 120</dm:note>
    <dm:timestamp>2005-05-30T16:09:44+05:00</dm:timestamp>
  </dm:person>
</presence>
)";

TEST(PidfParse, Rfc4480ExampleWithActivities) {
  PresenceDocument doc = parsed(kRfc4480);
  EXPECT_TRUE(doc.open);
  EXPECT_EQ(doc.tupleId, "ty4658");  // ties with eg92n8 on priority; document order decides
  EXPECT_EQ(doc.contact, "mailto:secretary@example.com");
  EXPECT_EQ(doc.activities, std::vector<std::string>{"away"});  // the mood's other is no activity
  EXPECT_EQ(doc.idle, true);                                    // from the device
  EXPECT_EQ(doc.availability, Availability::idle);              // away and idle
  EXPECT_EQ(doc.note, "Scoring 120");                           // the person's note wins
  EXPECT_EQ(doc.displayName, "Some One");
  EXPECT_EQ(doc.timestamp, "2005-05-30T16:09:44+05:00");  // the tuple has none; the person's
}

// What Lync sends a federated peer (as pidgin-sipe reads it): one tuple, the activity inside
// <status> in no namespace, a CIPID display name at the top level.
constexpr std::string_view kLync = R"(<?xml version="1.0" encoding="utf-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:bob@contoso.com">
  <tuple id="0">
    <status>
      <basic>open</basic>
      <activities><activity>Busy</activity></activities>
    </status>
    <contact>sip:bob@contoso.com</contact>
  </tuple>
  <display-name xmlns="urn:ietf:params:xml:ns:pidf:cipid">Bob Smith</display-name>
  <note>In a call</note>
</presence>)";

TEST(PidfParse, LyncActivityInTupleStatus) {
  PresenceDocument doc = parsed(kLync, System::lync);
  EXPECT_TRUE(doc.open);
  EXPECT_EQ(doc.entity, "sip:bob@contoso.com");
  EXPECT_EQ(doc.activities, std::vector<std::string>{"Busy"});
  EXPECT_EQ(doc.availability, Availability::busy);
  EXPECT_EQ(doc.displayName, "Bob Smith");
  EXPECT_EQ(doc.note, "In a call");
  EXPECT_EQ(doc.tupleId, "0");
  EXPECT_FALSE(doc.priority.has_value());
}

TEST(PidfParse, ActivityTokensFollowThePeerSystem) {
  constexpr std::string_view xml = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:a@b">
    <tuple id="t"><status><basic>open</basic>
      <rpid:activities><rpid:meeting/></rpid:activities></status></tuple></presence>)";
  EXPECT_EQ(parsed(xml).availability, Availability::inAMeeting);
  EXPECT_EQ(parsed(xml, System::lync).availability, Availability::busy);
}

TEST(PidfParse, PersonActivitiesBeatTupleActivities) {
  constexpr std::string_view xml = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:a@b">
    <tuple id="t"><status><basic>open</basic>
      <activities><activity>away</activity></activities></status></tuple>
    <dm:person id="p"><rpid:activities><rpid:on-the-phone/></rpid:activities></dm:person>
  </presence>)";
  PresenceDocument doc = parsed(xml);
  EXPECT_EQ(doc.availability, Availability::busy);
  EXPECT_EQ(doc.activities, (std::vector<std::string>{"on-the-phone", "away"}));
}

TEST(PidfParse, OtherTextNamingAStateRefinesTheRfcToken) {
  constexpr std::string_view xml = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:a@b">
    <tuple id="t"><status><basic>open</basic></status></tuple>
    <dm:person id="p"><rpid:activities><rpid:busy/><rpid:other> Do-Not-Disturb </rpid:other>
    </rpid:activities></dm:person></presence>)";
  EXPECT_EQ(parsed(xml).availability, Availability::doNotDisturb);
}

TEST(PidfParse, FreeTextOtherKeepsTheRfcToken) {
  constexpr std::string_view xml = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:a@b">
    <tuple id="t"><status><basic>open</basic></status></tuple>
    <dm:person id="p"><rpid:activities><rpid:busy/><rpid:other>Writing a paper</rpid:other>
    </rpid:activities></dm:person></presence>)";
  PresenceDocument doc = parsed(xml);
  EXPECT_EQ(doc.availability, Availability::busy);
  EXPECT_EQ(doc.activities, (std::vector<std::string>{"busy", "Writing a paper"}));
}

TEST(PidfParse, UserInputIdleAloneIsAvailableIdle) {
  constexpr std::string_view xml = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:a@b">
    <tuple id="t"><status><basic>open</basic></status></tuple>
    <dm:person id="p"><rpid:user-input>idle</rpid:user-input></dm:person></presence>)";
  PresenceDocument doc = parsed(xml);
  EXPECT_EQ(doc.idle, true);
  EXPECT_EQ(doc.availability, Availability::availableIdle);
}

constexpr std::string_view kMultiTuple = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
    entity="pres:carol@example.org">
  <tuple id="desk"><status><basic>closed</basic></status>
    <contact priority="1.0">sip:carol@desk.example.org</contact><note>desk</note></tuple>
  <tuple id="phone"><status><basic>open</basic></status>
    <contact priority="0.2">sip:carol@phone.example.org</contact><note>phone</note></tuple>
  <tuple id="laptop"><status><basic>open</basic></status>
    <contact priority="0.7">sip:carol@laptop.example.org</contact><note>laptop</note></tuple>
  <tuple id="odd"><status><basic>open</basic></status>
    <contact priority="7">sip:carol@odd.example.org</contact></tuple>
</presence>)";

TEST(PidfParse, OpenBeatsClosedThenHighestPriority) {
  PresenceDocument doc = parsed(kMultiTuple);
  EXPECT_TRUE(doc.open);
  EXPECT_EQ(doc.tupleId, "laptop");  // "odd"'s priority is out of range and counts as none
  EXPECT_EQ(doc.note, "laptop");
  EXPECT_EQ(doc.contact, "sip:carol@laptop.example.org");
  EXPECT_DOUBLE_EQ(doc.priority.value_or(-1), 0.7);
}

TEST(PidfParse, ClosedDocument) {
  constexpr std::string_view xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:dave@example.com">
  <tuple id="t1"><status><basic>closed</basic></status><note>Gone home</note></tuple>
</presence>)";
  PresenceDocument doc = parsed(xml);
  EXPECT_FALSE(doc.open);
  EXPECT_EQ(doc.note, "Gone home");
  EXPECT_EQ(availabilityOf(doc), Availability::offline);
}

TEST(PidfParse, MissingBasicFollowsTheActivities) {
  constexpr std::string_view busy = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:a@b">
    <tuple id="t"><status><rpid:activities><rpid:busy/></rpid:activities></status></tuple>
  </presence>)";
  EXPECT_TRUE(parsed(busy).open);
  EXPECT_EQ(availabilityOf(parsed(busy)), Availability::busy);

  constexpr std::string_view bare = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      entity="pres:a@b"><tuple id="t"><status/></tuple></presence>)";
  EXPECT_FALSE(parsed(bare).open);

  constexpr std::string_view personOnly = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:a@b">
    <dm:person id="p"><rpid:activities><rpid:away/></rpid:activities></dm:person></presence>)";
  EXPECT_TRUE(parsed(personOnly).open);
  EXPECT_EQ(availabilityOf(parsed(personOnly)), Availability::away);
}

TEST(PidfParse, OfflineActivityOnAnOpenTupleIsOffline) {
  constexpr std::string_view xml = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      entity="pres:a@b"><tuple id="t"><status><basic>open</basic>
      <activities><activity>invisible</activity></activities></status></tuple></presence>)";
  EXPECT_EQ(availabilityOf(parsed(xml, System::lync)), Availability::offline);
}

TEST(PidfParse, EmptyBodyIsAClosedDocument) {
  for (std::string_view body : {"", "  \r\n"}) {
    PresenceDocument doc = parsed(body);
    EXPECT_FALSE(doc.open);
    EXPECT_EQ(doc, PresenceDocument{});
  }
}

TEST(PidfParse, NoNamespaceRootIsTolerated) {
  PresenceDocument doc =
      parsed(R"(<presence entity="pres:x@y"><tuple id="a"><status><basic>OPEN</basic></status>)"
             R"(</tuple></presence>)");
  EXPECT_TRUE(doc.open);
}

TEST(PidfParse, GarbageIsBadRequest) {
  const std::string_view inputs[] = {
      "not xml at all",
      "<presence xmlns='urn:ietf:params:xml:ns:pidf'><tuple>",  // truncated
      "<presence xmlns='jabber:client'/>",                      // an XMPP presence
      "<pidf xmlns='urn:ietf:params:xml:ns:pidf'/>",            // wrong root name
      "<!DOCTYPE presence [<!ENTITY a 'b'>]><presence/>",       // DTDs are refused
      "<presence xmlns='urn:ietf:params:xml:ns:pidf'>&a;</presence>",
      "\xff\xfe<\0p\0",
  };
  for (std::string_view input : inputs) {
    auto doc = parsePidf(input);
    ASSERT_FALSE(doc.ok()) << input;
    EXPECT_EQ(doc.error().condition, "bad-request");
    EXPECT_FALSE(doc.error().message.empty());
  }
}

TEST(PidfParse, OversizedDocumentIsRefused) {
  std::string xml = "<presence xmlns='urn:ietf:params:xml:ns:pidf'><note>";
  xml.append(300 * 1024, 'x');
  xml.append("</note></presence>");
  EXPECT_FALSE(parsePidf(xml).ok());
}

}  // namespace
}  // namespace impd::simple
