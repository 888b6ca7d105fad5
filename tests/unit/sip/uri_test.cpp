// Uri: parsing of sip/sips/pres/im/opaque URIs, round trips, parameters and §19.1.4 comparison.
#include "codec/sip/uri.h"

#include <gtest/gtest.h>

namespace impd::sip {
namespace {

Uri parsed(std::string_view text) {
  auto uri = Uri::parse(text);
  EXPECT_TRUE(uri.ok()) << text << ": " << (uri ? "" : uri.error().message);
  return uri ? *uri : Uri{};
}

TEST(Uri, ParsesEveryPartOfASipUri) {
  Uri u = parsed(
      "sip:alice:secret@atlanta.example.com:5061;transport=tcp;lr;maddr=239.255.255.1"
      "?subject=project%20x&priority=urgent");
  EXPECT_EQ(u.scheme(), "sip");
  EXPECT_TRUE(u.isSip());
  EXPECT_FALSE(u.isSecure());
  EXPECT_EQ(u.user(), "alice");
  EXPECT_EQ(u.password(), "secret");
  EXPECT_EQ(u.host(), "atlanta.example.com");
  EXPECT_EQ(u.port(), 5061);
  EXPECT_EQ(u.hostPort(), "atlanta.example.com:5061");
  EXPECT_EQ(u.param("transport"), "tcp");
  EXPECT_EQ(u.param("LR"), "");
  EXPECT_EQ(u.param("maddr"), "239.255.255.1");
  EXPECT_EQ(u.param("ttl"), std::nullopt);
  ASSERT_EQ(u.headers().size(), 2u);
  EXPECT_EQ(u.header("Subject"), "project x");
  EXPECT_EQ(u.header("priority"), "urgent");
}

TEST(Uri, RoundTripsExactly) {
  for (std::string_view text : {
           "sip:alice@example.com",
           "sips:bob@[2001:db8::1]:5061;transport=tls",
           "sip:[::1]",
           "sip:192.0.2.1:5060;lr",
           "sip:user;par=u%40example.net@example.com",
           "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31",
           "sip:1_unusual.URI~(to-test!)@example.com",
           "sip:example.com?to=sip:bob%40biloxi.com&x=",
           "sip:+1-212-555-1212:1234@gateway.com;user=phone",
           "pres:alice@example.com",
           "im:bob@example.org",
           "tel:+1-201-555-0123",
           "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
       }) {
    Uri u = parsed(text);
    EXPECT_EQ(u.str(), text);
    EXPECT_EQ(parsed(u.str()), u) << text;
    EXPECT_TRUE(equivalent(u, parsed(u.str()))) << text;
  }
}

TEST(Uri, SchemeIsCaseInsensitiveAndPrintedLowerCase) {
  Uri u = parsed("SIP:Alice@Example.COM");
  EXPECT_EQ(u.scheme(), "sip");
  EXPECT_EQ(u.str(), "sip:Alice@Example.COM");
}

TEST(Uri, DecodesEscapesInUserAndParameters) {
  Uri u = parsed("sip:sips%3Auser%40example.com@example.net");
  EXPECT_EQ(u.user(), "sips:user@example.com");
  EXPECT_EQ(u.userRaw(), "sips%3Auser%40example.com");
  EXPECT_EQ(u.host(), "example.net");
  Uri c = parsed("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
  EXPECT_EQ(c.user(), "caller");
  EXPECT_EQ(c.param("lr"), "");
  EXPECT_EQ(c.param("name"), "value%41");
  Uri n = parsed("sip:null-%00-null@example.com");
  EXPECT_EQ(n.user(), std::string("null-\0-null", 11));
}

TEST(Uri, IPv6References) {
  Uri u = parsed("sip:alice@[2001:db8::10]:5070");
  EXPECT_EQ(u.host(), "[2001:db8::10]");
  EXPECT_EQ(u.port(), 5070);
  EXPECT_EQ(parsed("sip:[::ffff:192.0.2.1]").host(), "[::ffff:192.0.2.1]");
  EXPECT_EQ(parsed("sip:[1:2:3:4:5:6:7:8]").host(), "[1:2:3:4:5:6:7:8]");
  for (std::string_view bad : {"sip:[2001:db8::1", "sip:[2001:db8:::1]", "sip:[1:2:3:4:5:6:7:8:9]",
                               "sip:[fffff::1]", "sip:[::1]x", "sip:2001:db8::1"}) {
    EXPECT_FALSE(Uri::parse(bad).ok()) << bad;
  }
}

TEST(Uri, RefusesMalformedUris) {
  for (std::string_view bad : {
           "",
           "sip:",
           "sip:@example.com",
           "sip:user@",
           "sip:user@exa mple.com",
           "sip:user@example.com:99999",
           "sip:user@example.com:",
           "sip:user@example.com;",
           "sip:user@example.com;a=",
           "sip:user@example.com?x",
           "sip:user@example.com>",
           "<sip:user@example.com>",
           "sip:us%zzer@example.com",
           "sip:user@-bad.example.com",
           "sip:user@example.123",
           "sip:user@192.0.2.256",
           "1sip:x@y",
           "example.com",
           "pres:alice",
           "pres:alice@example.com;x=y",
           "im:a:b@example.com",
           "tel:",
           "tel:1 2",
           "http://exa\"mple.com",
       }) {
    EXPECT_FALSE(Uri::parse(bad).ok()) << bad;
  }
  EXPECT_EQ(Uri::parse("sip:a@b c").error().condition, "bad-request");
}

TEST(Uri, KindsOfUri) {
  EXPECT_EQ(parsed("pres:alice@example.com").kind(), Uri::Kind::pres);
  EXPECT_EQ(parsed("im:alice@example.com").kind(), Uri::Kind::im);
  Uri tel = parsed("tel:+1-201-555-0123");
  EXPECT_EQ(tel.kind(), Uri::Kind::opaque);
  EXPECT_EQ(tel.opaque(), "+1-201-555-0123");
  EXPECT_TRUE(parsed("sips:a@example.com").isSecure());
}

TEST(Uri, SetAndRemoveParameters) {
  Uri u = parsed("sip:alice@example.com;transport=udp");
  u.setParam("transport", "tcp");
  u.setParam("lr");
  u.setParam("x", "a b");
  EXPECT_EQ(u.str(), "sip:alice@example.com;transport=tcp;lr;x=a%20b");
  EXPECT_EQ(u.param("x"), "a b");
  EXPECT_TRUE(u.removeParam("TRANSPORT"));
  EXPECT_FALSE(u.removeParam("transport"));
  EXPECT_EQ(u.str(), "sip:alice@example.com;lr;x=a%20b");
  EXPECT_EQ(parsed(u.str()).param("x"), "a b");
  u.setUser("a b@c");
  EXPECT_EQ(u.user(), "a b@c");
  EXPECT_EQ(parsed(u.str()).user(), "a b@c");
  u.setPort(5080);
  u.setHost("[::1]");
  EXPECT_EQ(u.hostPort(), "[::1]:5080");
}

// The examples of RFC 3261 §19.1.4.
TEST(Uri, EquivalenceFollowsRfc3261) {
  auto eq = [](std::string_view a, std::string_view b) { return equivalent(parsed(a), parsed(b)); };
  EXPECT_TRUE(eq("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(eq("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(eq("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(eq("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                 "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_TRUE(eq("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                 "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
  EXPECT_FALSE(eq("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
  EXPECT_FALSE(eq("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
  EXPECT_FALSE(eq("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
  EXPECT_FALSE(eq("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;newparam=6"));
  EXPECT_FALSE(eq("sip:alice@example.com", "sips:alice@example.com"));
  EXPECT_TRUE(eq("sip:alice@[2001:DB8::1]", "sip:alice@[2001:db8:0:0::1]"));
  EXPECT_TRUE(eq("pres:alice@Example.com", "pres:alice@example.COM"));
  EXPECT_FALSE(eq("pres:alice@example.com", "im:alice@example.com"));
  EXPECT_TRUE(eq("TEL:+1", "tel:+1"));
}

}  // namespace
}  // namespace impd::sip
