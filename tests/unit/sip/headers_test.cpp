// Typed header views: Via, CSeq, ParamValue (Event, Subscription-State, Content-Type),
// delta-seconds, SIP-date and branch generation.
#include "codec/sip/headers.h"

#include <gtest/gtest.h>

#include "base/fake_random.h"

namespace impd::sip {
namespace {

template <typename T>
void expectRoundTrip(const T& value) {
  std::string printed = value.str();
  auto again = T::parse(printed);
  ASSERT_TRUE(again.ok()) << printed << ": " << again.error().message;
  EXPECT_EQ(*again, value) << printed;
  EXPECT_EQ(again->str(), printed);
}

TEST(Via, ParsesSentProtocolSentByAndParams) {
  auto via = Via::parse(
      "SIP/2.0/udp pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;rport;"
      "received=192.0.2.1;ttl=16;maddr=224.2.0.1;x=\"quoted, value\"");
  ASSERT_TRUE(via.ok()) << via.error().message;
  EXPECT_EQ(via->protocol(), "SIP/2.0");
  EXPECT_EQ(via->transport(), "UDP");
  EXPECT_EQ(via->host(), "pc33.atlanta.com");
  EXPECT_EQ(via->port(), 5066);
  EXPECT_EQ(via->sentBy(), "pc33.atlanta.com:5066");
  EXPECT_EQ(via->branch(), "z9hG4bK776asdhds");
  EXPECT_TRUE(via->hasRfc3261Branch());
  EXPECT_EQ(via->received(), "192.0.2.1");
  EXPECT_TRUE(via->rport().present);
  EXPECT_EQ(via->rport().port, std::nullopt);
  EXPECT_EQ(via->ttl(), 16);
  EXPECT_EQ(via->maddr(), "224.2.0.1");
  EXPECT_EQ(via->param("X"), "quoted, value");
  EXPECT_EQ(via->str(),
            "SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;rport;"
            "received=192.0.2.1;ttl=16;maddr=224.2.0.1;x=\"quoted, value\"");
  expectRoundTrip(*via);
}

TEST(Via, AcceptsLwsWhereTheGrammarAllowsIt) {
  auto via = Via::parse("SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239");
  ASSERT_TRUE(via.ok()) << via.error().message;
  EXPECT_EQ(via->host(), "192.168.255.111");
  EXPECT_EQ(via->branch(), "z9hG4bK30239");
  EXPECT_EQ(via->str(), "SIP/2.0/UDP 192.168.255.111;branch=z9hG4bK30239");
  auto spaced = Via::parse("SIP/2.0/TCP host.example.com : 5060 ;lr");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced->port(), 5060);
  expectRoundTrip(*spaced);
}

TEST(Via, IPv6SentBy) {
  auto via =
      Via::parse("SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bKx;received=2001:db8::9;rport=5999");
  ASSERT_TRUE(via.ok()) << via.error().message;
  EXPECT_EQ(via->host(), "[2001:db8::1]");
  EXPECT_EQ(via->port(), 5061);
  EXPECT_EQ(via->sentBy(), "[2001:db8::1]:5061");
  EXPECT_EQ(via->received(), "2001:db8::9");
  EXPECT_EQ(via->rport().port, 5999);
  expectRoundTrip(*via);
  auto local = Via::parse("SIP/2.0/UDP [::1]:5060");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->sentBy(), "[::1]:5060");
}

TEST(Via, RefusesMalformedValues) {
  for (std::string_view bad : {
           "",
           "SIP/2.0",
           "SIP/2.0/UDP",
           "SIP/2.0/UDP ",
           "SIP/2.0/UDPhost",
           "SIP/2.0 UDP host",
           "SIP/2.0/UDP host:",
           "SIP/2.0/UDP host:70000",
           "SIP/2.0/UDP 192.0.2.15;;",
           "SIP/2.0/UDP host;branch",
           "SIP/2.0/UDP host;branch=\"z9hG4bK\"",
           "SIP/2.0/UDP host;ttl=256",
           "SIP/2.0/UDP host;received=host.example.com",
           "SIP/2.0/UDP host;rport=x",
           "SIP/2.0/UDP host, SIP/2.0/UDP other",
           "SIP/2.0/UDP [::1",
           "SIP/2.0/UDP host junk",
           "SIP/2.0/UDP host;maddr=",
           ";",
       }) {
    auto via = Via::parse(bad);
    EXPECT_FALSE(via.ok()) << bad;
    if (!via) {
      EXPECT_EQ(via.error().condition, "bad-request");
    }
  }
}

TEST(Via, BuildAndModify) {
  Via via("tcp", "proxy.example.com", 5060);
  via.setParam("branch", "z9hG4bK1");
  via.setFlag("rport");
  EXPECT_EQ(via.str(), "SIP/2.0/TCP proxy.example.com:5060;branch=z9hG4bK1;rport");
  via.setParam("rport", "5070");
  via.setParam("received", "192.0.2.7");
  EXPECT_EQ(via.str(),
            "SIP/2.0/TCP proxy.example.com:5060;branch=z9hG4bK1;rport=5070;received=192.0.2.7");
  EXPECT_EQ(via.rport().port, 5070);
  via.setTransport("tls");
  via.setSentBy("[::1]", std::nullopt);
  EXPECT_TRUE(via.removeParam("rport"));
  EXPECT_EQ(via.str(), "SIP/2.0/TLS [::1];branch=z9hG4bK1;received=192.0.2.7");
  expectRoundTrip(via);
}

TEST(CSeq, ParsesNumberAndMethod) {
  auto c = CSeq::parse("  0009\r\n  INVITE ");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->number, 9u);
  EXPECT_EQ(c->method, "INVITE");
  EXPECT_EQ(c->str(), "9 INVITE");
  expectRoundTrip(*c);
  auto max = CSeq::parse("2147483647 SUBSCRIBE");
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->number, 2147483647u);
  expectRoundTrip(CSeq{139122385, "!interesting-Method0123456789_*+`.%indeed'~"});
}

TEST(CSeq, RefusesMalformedOrOverlargeValues) {
  for (std::string_view bad :
       {"", "1", "INVITE", "1INVITE", "-1 INVITE", "2147483648 INVITE",
        "36893488147419103232 REGISTER", "1 INVITE x", "1 IN/VITE", "1 INVITE,"}) {
    EXPECT_FALSE(CSeq::parse(bad).ok()) << bad;
  }
}

TEST(ParamValue, EventWithId) {
  auto e = ParamValue::parse("presence;id=17");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->value(), "presence");
  EXPECT_EQ(e->param("ID"), "17");
  expectRoundTrip(*e);
  auto winfo = ParamValue::parse("presence.winfo");
  ASSERT_TRUE(winfo.ok());
  EXPECT_EQ(winfo->value(), "presence.winfo");
}

TEST(ParamValue, SubscriptionState) {
  auto s = ParamValue::parse("terminated;reason=timeout;retry-after=30");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->value(), "terminated");
  EXPECT_EQ(s->param("reason"), "timeout");
  EXPECT_EQ(s->secondsParam("retry-after"), 30u);
  EXPECT_EQ(s->secondsParam("expires"), std::nullopt);
  auto a = ParamValue::parse("active ; expires = 3600");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->secondsParam("expires"), 3600u);
  EXPECT_EQ(a->str(), "active;expires=3600");
}

TEST(ParamValue, ContentTypeIsLowerCasedWithQuotedParamsUnescaped) {
  auto ct = ParamValue::parseMediaType("Application / PIDF+XML ; charset=\"UTF-8\";x=\"a\\\"b\"");
  ASSERT_TRUE(ct.ok()) << ct.error().message;
  EXPECT_EQ(ct->value(), "application/pidf+xml");
  EXPECT_EQ(ct->type(), "application");
  EXPECT_EQ(ct->subtype(), "pidf+xml");
  EXPECT_EQ(ct->param("charset"), "UTF-8");
  EXPECT_EQ(ct->param("x"), "a\"b");
  EXPECT_EQ(ct->str(), "application/pidf+xml;charset=\"UTF-8\";x=\"a\\\"b\"");
  auto again = ParamValue::parseMediaType(ct->str());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *ct);
  auto multipart = ParamValue::parseMediaType("multipart/mixed;boundary=7a9cbec02ceef655");
  ASSERT_TRUE(multipart.ok());
  EXPECT_EQ(multipart->param("boundary"), "7a9cbec02ceef655");
}

TEST(ParamValue, RefusesMalformedValues) {
  for (std::string_view bad : {"", ";id=1", "presence;", "presence;id=", "presence id",
                               "presence;id=\"unterminated", "presence;=1"}) {
    EXPECT_FALSE(ParamValue::parse(bad).ok()) << bad;
  }
  for (std::string_view bad : {"application", "application/", "/sdp", "text/plain junk"}) {
    EXPECT_FALSE(ParamValue::parseMediaType(bad).ok()) << bad;
  }
}

TEST(ParamValue, SetParamQuotesWhenNeeded) {
  ParamValue v("active");
  v.setParam("expires", "60");
  v.setParam("note", "two words");
  v.setParam("plain", "token", true);
  EXPECT_EQ(v.str(), "active;expires=60;note=\"two words\";plain=\"token\"");
  auto again = ParamValue::parse(v.str());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, v);
}

TEST(DeltaSeconds, ParsesAndBounds) {
  EXPECT_EQ(*parseDeltaSeconds("3600"), 3600u);
  EXPECT_EQ(*parseDeltaSeconds(" 0068 "), 68u);
  EXPECT_EQ(*parseDeltaSeconds("4294967295"), 4294967295u);
  const std::string huge = "1" + std::string(100, '0');
  for (std::string_view bad :
       {std::string_view(""), std::string_view("-1"), std::string_view("4294967296"),
        std::string_view("1e3"), std::string_view("10 0"), std::string_view(huge)}) {
    EXPECT_FALSE(parseDeltaSeconds(bad).ok()) << bad;
  }
}

TEST(SipDate, ParsesRfc1123GmtOnly) {
  EXPECT_EQ(*parseDate("Sat, 13 Nov 2010 23:29:00 GMT"), 1289690940);
  EXPECT_EQ(*parseDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(*parseDate("Thu, 29 Feb 2024 12:00:00 GMT"), 1709208000);
  for (std::string_view bad : {"Fri, 01 Jan 2010 16:00:00 EST", "Fri, 01 Jan 2010 16:00:00",
                               "Xyz, 01 Jan 2010 16:00:00 GMT", "Fri, 32 Jan 2010 16:00:00 GMT",
                               "Fri, 29 Feb 2010 16:00:00 GMT", "Fri, 01 Foo 2010 16:00:00 GMT",
                               "Fri, 01 Jan 2010 24:00:00 GMT", "Fri 01 Jan 2010 16:00:00 GMT"}) {
    EXPECT_FALSE(parseDate(bad).ok()) << bad;
  }
}

TEST(Branch, StartsWithTheMagicCookieAndIsAToken) {
  CountingRandom random;
  std::string a = newBranch(random);
  std::string b = newBranch(random);
  EXPECT_TRUE(a.starts_with("z9hG4bK"));
  EXPECT_NE(a, b);
  EXPECT_GT(a.size(), 7u + 12u);
  auto via = Via::parse("SIP/2.0/UDP h;branch=" + a);
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->branch(), a);
}

}  // namespace
}  // namespace impd::sip
