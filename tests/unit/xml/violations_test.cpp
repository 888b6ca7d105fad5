// Each kind of input RFC 6120 forbids, and the stream error it maps to.
#include <gtest/gtest.h>

#include <chrono>

#include "recorder.h"

namespace impd::xml {
namespace {

using test::kClientHeader;
using test::Recorder;

StreamViolation afterHeader(std::string_view body, Recorder& r) {
  return test::feedAll(std::string(kClientHeader) + std::string(body), r);
}

StreamViolation afterHeader(std::string_view body) {
  Recorder r;
  return afterHeader(body, r);
}

TEST(XmlViolations, NotWellFormed) {
  EXPECT_EQ(afterHeader("<message><body></message>"), StreamViolation::kNotWellFormed);
  EXPECT_EQ(afterHeader("<message a='1' a='2'/>"), StreamViolation::kNotWellFormed);
  EXPECT_EQ(afterHeader("<p:message/>"), StreamViolation::kNotWellFormed);  // unbound prefix
  EXPECT_EQ(afterHeader("</stream:stream><presence/>"), StreamViolation::kNotWellFormed);
  EXPECT_EQ(afterHeader("<message>&</message>"), StreamViolation::kNotWellFormed);
  // expat refuses the namespace separator inside a namespace name, so a parsed namespace
  // never contains '|' and "uri|local" splits unambiguously.
  EXPECT_EQ(afterHeader("<message xmlns='urn:a|b'/>"), StreamViolation::kNotWellFormed);
  EXPECT_EQ(afterHeader("<message xmlns:p='urn:a|b' p:x='1'/>"), StreamViolation::kNotWellFormed);
}

TEST(XmlViolations, InvalidUtf8IsNotWellFormed) {
  for (std::string bad :
       {"\xFF", "\xC0\x80", "\xED\xA0\x80", "\xEF\xBF\xBE", "\xF4\x90\x80\x80", "\x01", "a\x80"}) {
    EXPECT_EQ(afterHeader("<message><body>" + bad + "</body></message>"),
              StreamViolation::kNotWellFormed)
        << testing::PrintToString(bad);
    EXPECT_EQ(afterHeader("<message a='" + bad + "'/>"), StreamViolation::kNotWellFormed);
  }
  // Also when the bad sequence is split across feeds.
  Recorder r;
  EXPECT_EQ(test::feedChunked(
                std::string(kClientHeader) + "<message><body>\xE2\x82\x41</body></message>", 1, r),
            StreamViolation::kNotWellFormed);
}

TEST(XmlViolations, CommentsAndProcessingInstructionsAreRestricted) {
  EXPECT_EQ(afterHeader("<!-- hello -->"), StreamViolation::kRestrictedXml);
  EXPECT_EQ(afterHeader("<message><!-- x --></message>"), StreamViolation::kRestrictedXml);
  EXPECT_EQ(afterHeader("<message><?php echo 1; ?></message>"), StreamViolation::kRestrictedXml);
  Recorder r;
  EXPECT_EQ(
      test::feedAll("<!-- c --><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>", r),
      StreamViolation::kRestrictedXml);
  EXPECT_TRUE(r.events.empty());
}

TEST(XmlViolations, DoctypeIsRestricted) {
  Recorder r;
  EXPECT_EQ(test::feedAll("<?xml version='1.0'?><!DOCTYPE stream:stream>" +
                              std::string(kClientHeader).substr(21),
                          r),
            StreamViolation::kRestrictedXml);
  EXPECT_EQ(test::feedAll("<!DOCTYPE x SYSTEM 'http://example.com/x.dtd'><x/>", r),
            StreamViolation::kRestrictedXml);
  EXPECT_TRUE(r.events.empty());
}

TEST(XmlViolations, EntityReferencesOtherThanPredefinedAreRestricted) {
  EXPECT_EQ(afterHeader("<message><body>&nbsp;</body></message>"), StreamViolation::kRestrictedXml);
  EXPECT_EQ(afterHeader("<message a='&foo;'/>"), StreamViolation::kRestrictedXml);
}

TEST(XmlViolations, BillionLaughsIsRefusedAtOnce) {
  std::string bomb = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>";
  for (int i = 1; i < 10; ++i) {
    bomb += "<!ENTITY lol" + std::to_string(i) + " '";
    for (int j = 0; j < 10; ++j)
      bomb += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    bomb += "'>";
  }
  bomb += "]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>&lol9;";
  auto start = std::chrono::steady_clock::now();
  Recorder r;
  EXPECT_EQ(test::feedAll(bomb, r), StreamViolation::kRestrictedXml);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_TRUE(r.events.empty());
  // Fed byte by byte the DOCTYPE is refused before any declaration is read.
  Recorder r2;
  EXPECT_EQ(test::feedChunked(bomb, 1, r2), StreamViolation::kRestrictedXml);
}

TEST(XmlViolations, WrongRootIsInvalidNamespace) {
  Recorder r;
  EXPECT_EQ(test::feedAll("<stream:stream xmlns:stream='urn:wrong'>", r),
            StreamViolation::kInvalidNamespace);
  EXPECT_EQ(test::feedAll("<stream xmlns='jabber:client'>", r), StreamViolation::kInvalidNamespace);
  EXPECT_EQ(test::feedAll("<message xmlns='jabber:client'/>", r),
            StreamViolation::kInvalidNamespace);
  EXPECT_EQ(test::feedAll("<s:features xmlns:s='http://etherx.jabber.org/streams'>", r),
            StreamViolation::kInvalidNamespace);
  EXPECT_TRUE(r.events.empty());
}

TEST(XmlViolations, TextBetweenStanzasIsBadFormat) {
  Recorder r;
  EXPECT_EQ(afterHeader("<presence/> hello <presence/>", r), StreamViolation::kBadFormat);
  EXPECT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(afterHeader("&amp;"), StreamViolation::kBadFormat);
  EXPECT_EQ(afterHeader("<![CDATA[x]]>"), StreamViolation::kBadFormat);
  EXPECT_EQ(afterHeader("\r\n\t &#32;<presence/>"), StreamViolation::kNone);
}

TEST(XmlViolations, FailureIsStickyUntilReset) {
  Recorder r;
  StreamParser parser;
  EXPECT_EQ(parser.feed(std::string(kClientHeader) + "<!-- -->", r),
            StreamViolation::kRestrictedXml);
  EXPECT_EQ(parser.feed("<presence/>", r), StreamViolation::kRestrictedXml);
  EXPECT_TRUE(r.stanzas.empty());
  parser.reset();
  EXPECT_EQ(parser.feed(std::string(kClientHeader) + "<presence/>", r), StreamViolation::kNone);
  EXPECT_EQ(r.stanzas.size(), 1u);
}

TEST(XmlViolations, NothingAfterTheViolationIsDelivered) {
  Recorder r;
  EXPECT_EQ(afterHeader("<message/><presence><!-- --></presence><iq/>", r),
            StreamViolation::kRestrictedXml);
  EXPECT_EQ(r.stanzas.size(), 1u);
}

}  // namespace
}  // namespace impd::xml
