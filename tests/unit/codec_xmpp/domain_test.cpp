// Domainpart preparation: host name rules, IDNA2008, IP literals, limits.
#include <gtest/gtest.h>

#include "codec/xmpp/jid.h"

namespace impd::xmpp {
namespace {

std::string prepared(std::string_view domain) {
  Result<std::string> out = prepareDomain(domain);
  EXPECT_TRUE(out.ok()) << domain << ": " << (out.ok() ? "" : out.error().message);
  return out.ok() ? *out : std::string();
}

void expectRefused(std::string_view domain) {
  Result<std::string> out = prepareDomain(domain);
  ASSERT_FALSE(out.ok()) << "accepted " << domain << " as " << *out;
  EXPECT_EQ(out.error().condition, "jid-malformed");
}

TEST(Domain, AsciiIsLowerCased) {
  EXPECT_EQ(prepared("Example.COM"), "example.com");
}

TEST(Domain, UnicodeLabelsAreKeptAsLowerCaseULabels) {
  EXPECT_EQ(prepared("B\u00dcCHER.de"), "b\u00fccher.de");
  EXPECT_EQ(prepared("xn--bcher-kva.de"), "b\u00fccher.de");
  EXPECT_EQ(prepared("fa\u00df.de"), "fa\u00df.de");  // IDNA2008 keeps sharp s
  EXPECT_EQ(prepared("xn--zca.com"), "\u00df.com");
}

TEST(Domain, IdeographicFullStopsSeparateLabels) {
  EXPECT_EQ(prepared("\u4f8b\u5b50\u3002\u6d4b\u8bd5"), "\u4f8b\u5b50.\u6d4b\u8bd5");
  EXPECT_EQ(prepared("\u4f8b\u5b50\uff0e\u6d4b\u8bd5\uff61"), "\u4f8b\u5b50.\u6d4b\u8bd5");
}

TEST(Domain, FullwidthLettersMapToAscii) {
  EXPECT_EQ(prepared("\uff21\uff22\uff23.example"), "abc.example");
}

TEST(Domain, OnlyOneTrailingDotIsStripped) {
  EXPECT_EQ(prepared("example.com."), "example.com");
  expectRefused("example.com..");
  expectRefused(".");
  expectRefused(".example.com");
  expectRefused("a..b");
}

TEST(Domain, HostNameRulesApply) {
  expectRefused("");
  expectRefused("a_b.com");
  expectRefused("-ab.com");
  expectRefused("ab-.com");
  expectRefused("a b.com");
  expectRefused("a@\u4f8b\u5b50");  // libidn2 would silently drop the '@'
  expectRefused("a/b.\u4f8b\u5b50");
  expectRefused("\u4f8b\u5b50\uff0fx");  // fullwidth solidus maps to '/'
  expectRefused(std::string("exa\0mple.com", 11));
  EXPECT_EQ(prepared("ab--cd.com"), "ab--cd.com");
}

TEST(Domain, InvalidALabelsAreRefused) {
  expectRefused("xn--zz.com");
  expectRefused("xn--abc-.com");
  expectRefused("xn--.com");
  expectRefused("xn--ls8h.example");  // U+1F4A9 is not valid in IDNA2008
}

TEST(Domain, SymbolsAreRefused) {
  expectRefused("\u2665.example");
}

TEST(Domain, IpLiterals) {
  EXPECT_EQ(prepared("1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(prepared("[::1]"), "[::1]");
  EXPECT_EQ(prepared("[0:0:0:0:0:0:0:1]"), "[::1]");
  EXPECT_EQ(prepared("[2001:DB8::A]"), "[2001:db8::a]");
  expectRefused("[::1");
  expectRefused("[]");
  expectRefused("[zz]");
  expectRefused("[1.2.3.4]");
  expectRefused(std::string("[::1\0x]", 7));
}

TEST(Domain, LabelAndTotalLengthLimits) {
  std::string label63(63, 'a');
  EXPECT_EQ(prepared(label63 + ".com"), label63 + ".com");
  expectRefused(label63 + "a.com");
  std::string domain = label63;
  for (int i = 0; i < 15; ++i) domain += "." + label63;
  ASSERT_EQ(domain.size(), 1023u);
  EXPECT_EQ(prepared(domain), domain);
  expectRefused(domain + "a");
  EXPECT_EQ(prepared(domain + "."), domain);
}

TEST(Domain, PreparationIsIdempotent) {
  for (const char* text : {"Example.COM.", "xn--fsqu00a.XN--0zwm56d", "B\u00dcCHER.de",
                           "\uff21\uff22\uff23.example", "[0::1]"}) {
    std::string once = prepared(text);
    EXPECT_EQ(prepared(once), once) << text;
  }
}

}  // namespace
}  // namespace impd::xmpp
