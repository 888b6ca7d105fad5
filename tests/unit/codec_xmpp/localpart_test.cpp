// Localpart (UsernameCaseMapped) and resourcepart (OpaqueString) preparation.
#include <gtest/gtest.h>

#include "codec/xmpp/jid.h"

namespace impd::xmpp {
namespace {

TEST(Localpart, AsciiIsLowerCased) {
  Result<std::string> out = prepareLocalpart("Juliet.Capulet+tag");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "juliet.capulet+tag");
}

TEST(Localpart, DelimitersSpaceAndControlsAreRefused) {
  for (const char* text : {"a\"b", "a&b", "a'b", "a/b", "a:b", "a<b", "a>b", "a@b", "a b", "a\tb",
                           "a\x7f"
                           "b",
                           "a\xc2\x85"
                           "b"}) {
    Result<std::string> out = prepareLocalpart(text);
    ASSERT_FALSE(out.ok()) << text;
    EXPECT_EQ(out.error().condition, "jid-malformed");
  }
  EXPECT_FALSE(prepareLocalpart(std::string("a\0b", 3)).ok());
  EXPECT_FALSE(prepareLocalpart("").ok());
}

TEST(Localpart, UnicodeIsLowerCasedAndComposed) {
  EXPECT_EQ(*prepareLocalpart("\u00c4LICE"), "\u00e4lice");
  EXPECT_EQ(*prepareLocalpart("a\u0301"), "\u00e1");                               // NFC
  EXPECT_EQ(*prepareLocalpart("\uff2a\uff55\uff4c\uff49\uff45\uff54"), "juliet");  // fullwidth
}

TEST(Localpart, FullwidthDelimiterMapsToARefusedOne) {
  EXPECT_FALSE(prepareLocalpart("a\uff20b").ok());  // FULLWIDTH COMMERCIAL AT
}

TEST(Localpart, IdentifierClassRefusals) {
  EXPECT_FALSE(prepareLocalpart("\u265a").ok());       // symbol
  EXPECT_FALSE(prepareLocalpart("henry\u2163").ok());  // compatibility character
  EXPECT_FALSE(prepareLocalpart("a\u200bb").ok());     // default ignorable
  EXPECT_FALSE(prepareLocalpart("a\u00a0b").ok());     // no-break space
  EXPECT_FALSE(prepareLocalpart("a\u1100").ok());      // lone conjoining Hangul jamo
  EXPECT_FALSE(prepareLocalpart("a\U000e0001").ok());  // language tag
  EXPECT_FALSE(prepareLocalpart("a\U0010ffff").ok());  // noncharacter
}

TEST(Localpart, DottedCapitalIIsStable) {
  Result<std::string> once = prepareLocalpart("\u0130stanbul");
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(*prepareLocalpart(*once), *once);
}

TEST(Localpart, LengthIsCountedInBytesAfterPreparation) {
  EXPECT_TRUE(prepareLocalpart(std::string(1023, 'a')).ok());
  EXPECT_FALSE(prepareLocalpart(std::string(1024, 'a')).ok());
  std::string twoByte;
  for (int i = 0; i < 512; ++i) twoByte += "\u00e9";  // 1024 bytes
  EXPECT_FALSE(prepareLocalpart(twoByte).ok());
  std::string fullwidth;
  for (int i = 0; i < 1000; ++i) fullwidth += "\uff41";  // 3000 bytes mapping to 1000
  EXPECT_TRUE(prepareLocalpart(fullwidth).ok());
}

TEST(Resource, KeepsCaseSpacesAndSymbols) {
  EXPECT_EQ(*prepareResource("My Phone \u265a"), "My Phone \u265a");
  EXPECT_EQ(*prepareResource("a\u00a0b"), "a b");    // non-ASCII space to U+0020
  EXPECT_EQ(*prepareResource("e\u0301"), "\u00e9");  // NFC
  EXPECT_EQ(*prepareResource("\uff21"), "\uff21");   // no width mapping
}

TEST(Resource, ControlsAndEmptyAreRefused) {
  EXPECT_FALSE(prepareResource("").ok());
  EXPECT_FALSE(prepareResource("a\nb").ok());
  EXPECT_FALSE(prepareResource("a\x7f").ok());
  EXPECT_FALSE(prepareResource("a\xc2\x9f").ok());  // C1 control
  EXPECT_FALSE(prepareResource(std::string("a\0b", 3)).ok());
  EXPECT_FALSE(prepareResource("a\U0010ffff").ok());
  EXPECT_FALSE(prepareResource(std::string(1024, 'r')).ok());
}

}  // namespace
}  // namespace impd::xmpp
