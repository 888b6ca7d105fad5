// Jid splitting, comparison and the RFC 7622 §3.5 examples.
#include "codec/xmpp/jid.h"

#include <gtest/gtest.h>

#include <unordered_set>

namespace impd::xmpp {
namespace {

Jid mustParse(std::string_view text) {
  Result<Jid> jid = Jid::parse(text);
  EXPECT_TRUE(jid.ok()) << text << ": " << (jid.ok() ? "" : jid.error().message);
  return jid.ok() ? *jid : Jid{};
}

void expectMalformed(std::string_view text) {
  Result<Jid> jid = Jid::parse(text);
  ASSERT_FALSE(jid.ok()) << "accepted " << text << " as " << jid->str();
  EXPECT_EQ(jid.error().condition, "jid-malformed");
  EXPECT_FALSE(jid.error().message.empty());
}

TEST(Jid, SplitsFullJid) {
  Jid jid = mustParse("juliet@example.com/balcony");
  EXPECT_EQ(jid.local(), "juliet");
  EXPECT_EQ(jid.domain(), "example.com");
  EXPECT_EQ(jid.resource(), "balcony");
  EXPECT_FALSE(jid.isBare());
  EXPECT_FALSE(jid.isDomain());
  EXPECT_EQ(jid.str(), "juliet@example.com/balcony");
  EXPECT_EQ(jid.bareStr(), "juliet@example.com");
}

TEST(Jid, DomainOnlyAndDomainWithResource) {
  Jid domain = mustParse("example.com");
  EXPECT_TRUE(domain.isDomain());
  EXPECT_TRUE(domain.isBare());
  Jid withResource = mustParse("example.com/foobar");
  EXPECT_EQ(withResource.domain(), "example.com");
  EXPECT_EQ(withResource.resource(), "foobar");
}

TEST(Jid, SlashBeforeAtBelongsToResource) {
  Jid jid = mustParse("a/b@c");
  EXPECT_EQ(jid.local(), "");
  EXPECT_EQ(jid.domain(), "a");
  EXPECT_EQ(jid.resource(), "b@c");
  Jid rfc = mustParse("a.example.com/b@example.net");
  EXPECT_EQ(rfc.domain(), "a.example.com");
  EXPECT_EQ(rfc.resource(), "b@example.net");
}

TEST(Jid, ResourceKeepsLaterSlashesAndAts) {
  Jid jid = mustParse("juliet@example.com/foo@bar/baz");
  EXPECT_EQ(jid.resource(), "foo@bar/baz");
}

TEST(Jid, EmptyPartsAreRefused) {
  expectMalformed("");
  expectMalformed("@example.com");
  expectMalformed("juliet@");
  expectMalformed("juliet@example.com/");
  expectMalformed("/foobar");
  expectMalformed("@/");
  expectMalformed("juliet@/res");
}

TEST(Jid, SecondAtEndsUpInDomainAndIsRefused) {
  expectMalformed("a@b@c");
}

TEST(Jid, LocalpartIsCaseInsensitive) {
  EXPECT_EQ(mustParse("Juliet@Example.com"), mustParse("juliet@example.com"));
  EXPECT_EQ(mustParse("JULIET@EXAMPLE.COM").str(), "juliet@example.com");
}

TEST(Jid, ResourceIsCaseSensitive) {
  EXPECT_NE(mustParse("juliet@example.com/Balcony"), mustParse("juliet@example.com/balcony"));
  EXPECT_EQ(mustParse("juliet@example.com/Balcony").resource(), "Balcony");
}

TEST(Jid, Rfc7622ValidExamples) {
  for (const char* text :
       {"juliet@example.com", "juliet@example.com/foo", "juliet@example.com/foo bar",
        "juliet@example.com/foo@bar", "foo\\20bar@example.com", "fussball@example.com",
        "fu\u00dfball@example.com", "\u03c0@example.com", "\u03a3@example.com/foo",
        "\u03c3@example.com/foo", "\u03c2@example.com/foo", "king@example.com/\u265a",
        "example.com", "example.com/foobar", "a.example.com/b@example.net"}) {
    mustParse(text);
  }
}

TEST(Jid, Rfc7622InvalidExamples) {
  for (const char* text : {"\"juliet\"@example.com", "foo bar@example.com", "@example.com/",
                           "henry\u2163@example.com", "\u265a@example.com", "juliet@", "/foobar"}) {
    expectMalformed(text);
  }
}

TEST(Jid, SigmaLowerCasesButFinalSigmaStays) {
  EXPECT_EQ(mustParse("\u03a3@example.com"), mustParse("\u03c3@example.com"));
  EXPECT_NE(mustParse("\u03c2@example.com"), mustParse("\u03c3@example.com"));
  EXPECT_NE(mustParse("fu\u00dfball@example.com"), mustParse("fussball@example.com"));
}

TEST(Jid, UnicodeDomainAndItsALabelAreEqual) {
  Jid unicode = mustParse("juliet@\u4f8b\u5b50.\u6d4b\u8bd5");
  Jid ascii = mustParse("juliet@xn--fsqu00a.xn--0zwm56d");
  EXPECT_EQ(unicode, ascii);
  EXPECT_EQ(ascii.domain(), "\u4f8b\u5b50.\u6d4b\u8bd5");
  EXPECT_EQ(mustParse("juliet@XN--FSQU00A.XN--0ZWM56D"), unicode);
}

TEST(Jid, TrailingDotIsStripped) {
  EXPECT_EQ(mustParse("juliet@example.com."), mustParse("juliet@example.com"));
  EXPECT_EQ(mustParse("juliet@example.com./r").resource(), "r");
  expectMalformed("juliet@example.com..");
  expectMalformed("juliet@.");
}

TEST(Jid, StrReparsesToTheSameJid) {
  for (const char* text : {"Juliet@Example.COM/Balcony", "juliet@XN--FSQU00A.xn--0zwm56d",
                           "\u00c4LICE@B\u00dcCHER.de/\u00e9", "a/b@c", "x@[0:0::1]/r"}) {
    Jid jid = mustParse(text);
    Jid again = mustParse(jid.str());
    EXPECT_EQ(jid, again) << text;
    EXPECT_EQ(jid.str(), again.str()) << text;
  }
}

TEST(Jid, BareAndWithResource) {
  Jid full = mustParse("juliet@example.com/balcony");
  EXPECT_EQ(full.bare(), mustParse("juliet@example.com"));
  EXPECT_EQ(full.bare().withResource("garden").str(), "juliet@example.com/garden");
  EXPECT_TRUE(Jid{}.empty());
  EXPECT_FALSE(full.empty());
}

TEST(Jid, FromPartsPreparesEachPart) {
  Result<Jid> jid = Jid::fromParts("Juliet", "Example.com.", "Balcony");
  ASSERT_TRUE(jid.ok());
  EXPECT_EQ(jid->str(), "juliet@example.com/Balcony");
  EXPECT_TRUE(Jid::fromParts("", "example.com").ok());
  EXPECT_FALSE(Jid::fromParts("a@b", "example.com").ok());
  EXPECT_FALSE(Jid::fromParts("juliet", "").ok());
}

TEST(Jid, HashesAndOrdersByPreparedForm) {
  std::unordered_set<Jid> set{mustParse("Juliet@Example.com/r"), mustParse("juliet@example.com/r")};
  EXPECT_EQ(set.size(), 1u);
  EXPECT_LT(mustParse("a@example.com"), mustParse("b@example.com"));
}

TEST(Jid, OverLongPartsAreRefused) {
  std::string local(1023, 'a');
  EXPECT_TRUE(Jid::parse(local + "@example.com").ok());
  expectMalformed(local + "a@example.com");
  std::string resource(1023, 'r');
  EXPECT_TRUE(Jid::parse("a@example.com/" + resource).ok());
  expectMalformed("a@example.com/" + resource + "r");
  expectMalformed(std::string(100000, 'a') + "@example.com");
}

TEST(Jid, BadUtf8IsRefused) {
  expectMalformed("\xc3@example.com");                // truncated sequence
  expectMalformed("a@example.com/\xff");              // never valid
  expectMalformed("a@\xc3\xa9\xff.com");              // bad byte in a Unicode label
  expectMalformed("\xc0\xaf@example.com");            // overlong '/'
  expectMalformed("\xed\xa0\x80@example.com");        // surrogate
  expectMalformed("a@example.com/\xf4\x90\x80\x80");  // above U+10FFFF
}

}  // namespace
}  // namespace impd::xmpp
