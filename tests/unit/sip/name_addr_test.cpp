// NameAddr: display names, <uri> and bare addr-spec forms, header parameters, tags.
#include <gtest/gtest.h>

#include "codec/sip/headers.h"

namespace impd::sip {
namespace {

NameAddr parsed(std::string_view text) {
  auto na = NameAddr::parse(text);
  EXPECT_TRUE(na.ok()) << text << ": " << (na ? "" : na.error().message);
  return na ? *na : NameAddr{};
}

void expectRoundTrip(const NameAddr& na) {
  auto again = NameAddr::parse(na.str());
  ASSERT_TRUE(again.ok()) << na.str();
  EXPECT_EQ(*again, na) << na.str();
  EXPECT_EQ(again->str(), na.str());
}

TEST(NameAddr, QuotedDisplayNameAndTag) {
  NameAddr na = parsed("\"Alice \\\"A\\\" Smith\" <sip:alice@atlanta.com>;tag=1928301774");
  EXPECT_EQ(na.displayName(), "Alice \"A\" Smith");
  EXPECT_EQ(na.uri().str(), "sip:alice@atlanta.com");
  EXPECT_EQ(na.tag(), "1928301774");
  EXPECT_EQ(na.str(), "\"Alice \\\"A\\\" Smith\" <sip:alice@atlanta.com>;tag=1928301774");
  expectRoundTrip(na);
}

TEST(NameAddr, TokenDisplayNames) {
  NameAddr na = parsed("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;tag=x");
  EXPECT_EQ(na.displayName(), "token1~` token2'+_ token3*%!.-");
  EXPECT_EQ(na.str(), "token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;tag=x");
  expectRoundTrip(na);
  NameAddr tight = parsed("caller<sip:caller@example.com>;tag=323");
  EXPECT_EQ(tight.displayName(), "caller");
  expectRoundTrip(tight);
}

TEST(NameAddr, BareAddrSpecParamsBelongToTheHeader) {
  NameAddr na = parsed("sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n");
  EXPECT_EQ(na.uri().str(), "sip:vivekg@chair-dnrc.example.com");
  EXPECT_TRUE(na.uri().params().empty());
  EXPECT_EQ(na.tag(), "1918181833n");
  NameAddr phone = parsed("sip:+16505552222@ss1.example.net;user=phone");
  EXPECT_EQ(phone.param("user"), "phone");
  EXPECT_EQ(phone.uri().param("user"), std::nullopt);
  EXPECT_EQ(phone.str(), "<sip:+16505552222@ss1.example.net>;user=phone");
  expectRoundTrip(phone);
  NameAddr inside = parsed("<sip:+16505552222@ss1.example.net;user=phone>");
  EXPECT_EQ(inside.uri().param("user"), "phone");
  EXPECT_FALSE(inside.param("user").has_value());
}

TEST(NameAddr, QuotedParamValuesAndFlags) {
  NameAddr na = parsed(
      "<sip:alice@192.0.2.1>;+sip.instance=\"<urn:uuid:0001>\";expires=60;reg-id=1;"
      "secondparam");
  EXPECT_EQ(na.param("+sip.instance"), "<urn:uuid:0001>");
  EXPECT_EQ(na.param("expires"), "60");
  EXPECT_EQ(na.param("secondparam"), "");
  EXPECT_EQ(na.tag(), "");
  expectRoundTrip(na);
}

TEST(NameAddr, SetTagAndParams) {
  NameAddr na = parsed("Bob <sip:bob@biloxi.com>");
  na.setParam("tag", "a6c85cf");
  EXPECT_EQ(na.str(), "Bob <sip:bob@biloxi.com>;tag=a6c85cf");
  na.setTag("b7");
  EXPECT_EQ(na.tag(), "b7");
  na.setDisplayName("Bob, the Builder");
  EXPECT_EQ(na.str(), "\"Bob, the Builder\" <sip:bob@biloxi.com>;tag=b7");
  EXPECT_TRUE(na.removeParam("tag"));
  expectRoundTrip(na);
  NameAddr built(*Uri::parse("sip:carol@chicago.com"));
  EXPECT_EQ(built.str(), "<sip:carol@chicago.com>");
}

TEST(NameAddr, OtherUriSchemes) {
  EXPECT_EQ(parsed("isbn:2983792873").uri().kind(), Uri::Kind::opaque);
  EXPECT_EQ(parsed("<http://www.example.com>;tag=3234233").tag(), "3234233");
  EXPECT_EQ(parsed("\"Alice\" <pres:alice@example.com>").uri().kind(), Uri::Kind::pres);
  EXPECT_EQ(parsed("<tel:+1-201-555-0123>").uri().opaque(), "+1-201-555-0123");
}

TEST(NameAddr, IPv6Uri) {
  NameAddr na = parsed("<sip:alice@[2001:db8::10]:5060;transport=tcp>;expires=3600");
  EXPECT_EQ(na.uri().host(), "[2001:db8::10]");
  EXPECT_EQ(na.uri().port(), 5060);
  EXPECT_EQ(na.uri().param("transport"), "tcp");
  expectRoundTrip(na);
}

TEST(NameAddr, RefusesMalformedValues) {
  for (std::string_view bad : {
           "",
           "*",
           "\"Mr. J. User <sip:j.user@example.com>",
           "\"Watson, Thomas\" < sip:t.watson@example.org >",
           "Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
           "<sip:a@example.com",
           "sip:user@example.com?Route=%3Csip:sip.example.com%3E",
           "\"Joe\" <sip:joe@example.org>;;;;",
           "<sip:a@example.com>;tag",
           "<sip:a@example.com>;tag=",
           "<sip:a@example.com> junk",
           "\"Joe\" sip:joe@example.org",
           "sip:a@example.com, sip:b@example.com",
           "Joe",
       }) {
    auto na = NameAddr::parse(bad);
    EXPECT_FALSE(na.ok()) << bad;
  }
  EXPECT_TRUE(NameAddr::isWildcard(" * "));
  EXPECT_FALSE(NameAddr::isWildcard("<sip:*@x>"));
}

}  // namespace
}  // namespace impd::sip
