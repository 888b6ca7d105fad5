// Limits: each is enforced as the bytes arrive, not once the offending stanza has ended.
#include <gtest/gtest.h>

#include <chrono>

#include "recorder.h"

namespace impd::xml {
namespace {

using test::kClientHeader;
using test::Recorder;

std::string nested(unsigned depth) {
  std::string open;
  std::string close;
  for (unsigned i = 0; i < depth; ++i) {
    open += "<a>";
    close = "</a>" + close;
  }
  return open + close;
}

std::string withAttributes(unsigned count, std::size_t valueBytes = 1) {
  std::string s = "<message";
  for (unsigned i = 0; i < count; ++i) {
    s += " a" + std::to_string(i) + "='" + std::string(valueBytes, 'v') + "'";
  }
  return s + "/>";
}

TEST(XmlLimits, StanzaSize) {
  Limits limits;
  limits.maxStanzaBytes = 100;
  std::string fits = "<message><body>" + std::string(100 - 32, 'x') + "</body></message>";
  ASSERT_EQ(fits.size(), 100u);
  // The header counts against the limit too, so keep it short here.
  const std::string header = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>";
  Recorder r;
  EXPECT_EQ(test::feedAll(header + fits + fits, r, limits), StreamViolation::kNone);
  EXPECT_EQ(r.stanzas.size(), 2u);
  Recorder r2;
  EXPECT_EQ(test::feedAll(header + "<message><body>" + std::string(70, 'x') + "</body></message>",
                          r2, limits),
            StreamViolation::kPolicyViolation);
  EXPECT_TRUE(r2.stanzas.empty());
}

TEST(XmlLimits, StreamHeaderCountsAgainstTheLimit) {
  Limits limits;
  limits.maxStanzaBytes = 64;
  Recorder r;
  EXPECT_EQ(test::feedAll(kClientHeader, r, limits), StreamViolation::kPolicyViolation);
  EXPECT_TRUE(r.events.empty());
}

// A stanza that never ends must be cut off once it passes the limit, whatever grows in it.
void expectStoppedWhileGrowing(const std::string& opening, const std::string& filler) {
  Limits limits;
  limits.maxStanzaBytes = 16 * 1024;
  Recorder r;
  StreamParser parser(limits);
  ASSERT_EQ(parser.feed(kClientHeader, r), StreamViolation::kNone);
  ASSERT_EQ(parser.feed(opening, r), StreamViolation::kNone);
  std::size_t fed = opening.size();
  StreamViolation v = StreamViolation::kNone;
  while (v == StreamViolation::kNone && fed < 10 * limits.maxStanzaBytes) {
    v = parser.feed(filler, r);
    fed += filler.size();
  }
  EXPECT_EQ(v, StreamViolation::kPolicyViolation) << opening;
  EXPECT_LE(fed, limits.maxStanzaBytes + 4096) << opening;
}

TEST(XmlLimits, NeverClosingStanzaIsStoppedAtTheLimit) {
  expectStoppedWhileGrowing("<message><body>", std::string(1000, 'x'));
  expectStoppedWhileGrowing("<message><body>", "x");
  expectStoppedWhileGrowing("<message to='", std::string(1000, 'x'));  // tag never ends
  expectStoppedWhileGrowing("<message to='", "x");
  expectStoppedWhileGrowing("<message>", "<a/>");
  expectStoppedWhileGrowing("<message><body>&", "a");  // entity name never ends
}

TEST(XmlLimits, TrickledHugeStartTagCostsLinearTime) {
  // expat alone rescans an incomplete tag on every call: quadratic in its size.
  Limits limits;
  limits.maxStanzaBytes = 1 << 20;
  limits.maxAttributeBytes = 1 << 20;
  std::string tag = "<message to='" + std::string(200000, 'x') + "' b='>>>\"\"' c=\"''>\">";
  Recorder r;
  StreamParser parser(limits);
  ASSERT_EQ(parser.feed(kClientHeader, r), StreamViolation::kNone);
  auto start = std::chrono::steady_clock::now();
  for (char c : tag) ASSERT_EQ(parser.feed(std::string_view(&c, 1), r), StreamViolation::kNone);
  ASSERT_EQ(parser.feed("<body>hi</body></message>", r), StreamViolation::kNone);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(r.stanzas[0].attr("b"), ">>>\"\"");
  EXPECT_EQ(r.stanzas[0].attr("c"), "''>");
  EXPECT_EQ(r.stanzas[0].childText("body"), "hi");
}

TEST(XmlLimits, HeldBackTagIsDeliveredAsSoonAsItEnds) {
  // The last byte of a long tag arriving alone must not be held back.
  std::string text = std::string(kClientHeader) + "<presence id='" + std::string(3000, 'i') + "'/";
  Recorder r;
  StreamParser parser;
  for (std::size_t i = 0; i < text.size(); i += 100) {
    ASSERT_EQ(parser.feed(std::string_view(text).substr(i, 100), r), StreamViolation::kNone);
  }
  EXPECT_TRUE(r.stanzas.empty());
  ASSERT_EQ(parser.feed(">", r), StreamViolation::kNone);
  EXPECT_EQ(r.stanzas.size(), 1u);
}

TEST(XmlLimits, Depth) {
  Limits limits;
  limits.maxDepth = 8;
  Recorder r;
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + nested(8), r, limits),
            StreamViolation::kNone);
  EXPECT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + nested(9), r, limits),
            StreamViolation::kPolicyViolation);
  // Deep nesting that never closes is stopped at the limit too.
  std::string opens;
  for (int i = 0; i < 100000; ++i) opens += "<a>";
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + opens, r, limits),
            StreamViolation::kPolicyViolation);
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + opens, r),
            StreamViolation::kPolicyViolation);
}

TEST(XmlLimits, AttributesPerElement) {
  Limits limits;
  limits.maxAttributes = 4;
  Recorder r;
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + withAttributes(4), r, limits),
            StreamViolation::kNone);
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + withAttributes(5), r, limits),
            StreamViolation::kPolicyViolation);
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + withAttributes(1000), r),
            StreamViolation::kPolicyViolation);
}

TEST(XmlLimits, AttributeValueSize) {
  Limits limits;
  limits.maxAttributeBytes = 16;  // the header's values are checked too: "example.com"
  Recorder r;
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + withAttributes(1, 16), r, limits),
            StreamViolation::kNone);
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + withAttributes(1, 17), r, limits),
            StreamViolation::kPolicyViolation);
}

TEST(XmlLimits, NamespaceDeclarationsPerElement) {
  Limits limits;
  limits.maxNamespaceDecls = 3;
  auto decls = [](int n) {
    std::string s = "<message";
    for (int i = 0; i < n; ++i)
      s += " xmlns:p" + std::to_string(i) + "='urn:" + std::to_string(i) + "'";
    return s + "/>";
  };
  Recorder r;
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + decls(3), r, limits),
            StreamViolation::kNone);
  EXPECT_EQ(test::feedAll(std::string(kClientHeader) + decls(4), r, limits),
            StreamViolation::kPolicyViolation);
  // Declarations on the stream header count as well.
  EXPECT_EQ(test::feedAll("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' "
                          "xmlns='jabber:client' xmlns:a='urn:a' xmlns:b='urn:b'>",
                          r, limits),
            StreamViolation::kPolicyViolation);
}

}  // namespace
}  // namespace impd::xml
