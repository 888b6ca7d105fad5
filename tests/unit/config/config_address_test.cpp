#include <gtest/gtest.h>

#include "config/address.h"
#include "config/config.h"

namespace impd::config {
namespace {

TEST(HostPort, ParsesNamesIpv4AndBracketedIpv6) {
  auto v4 = parseHostPort("127.0.0.1:5222");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 5222);
  auto v6 = parseHostPort("[::1]:5269");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(toString(*v6), "[::1]:5269");
  auto name = parseHostPort("xmpp.example.test:5269");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->host, "xmpp.example.test");
}

TEST(HostPort, RefusesMalformedText) {
  for (const char* bad : {"", ":5222", "127.0.0.1", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:-1",
                          "127.0.0.1:65536", "::1:5222", "[::1]", "[::1]5222", "[::1:5222",
                          "-bad-.test:1", "a..b:1", "host name:1", "127.0.0.1:0"}) {
    EXPECT_FALSE(parseHostPort(bad)) << bad;
  }
  EXPECT_TRUE(parseHostPort("127.0.0.1:0", true));
}

TEST(SipAddress, ParsesTransportHostAndPort) {
  auto tls = parseSipAddress("tls://127.0.0.1:5061", true);
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->transport, SipTransport::kTls);
  EXPECT_EQ(toString(*tls), "tls://127.0.0.1:5061");
  auto udp = parseSipAddress("udp://[::1]:5060", true);
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->transport, SipTransport::kUdp);
  EXPECT_EQ(toString(*udp), "udp://[::1]:5060");
}

TEST(SipAddress, RoutesMayLeaveThePortToTheTransport) {
  EXPECT_EQ(parseSipAddress("tls://edge.lync.test", false)->port, 5061);
  EXPECT_EQ(parseSipAddress("tcp://edge.lync.test", false)->port, 5060);
  EXPECT_FALSE(parseSipAddress("tls://edge.lync.test", true));
  EXPECT_FALSE(parseSipAddress("tls://edge.lync.test:0", false));
  EXPECT_FALSE(parseSipAddress("sip:edge.lync.test", false));
}

}  // namespace
}  // namespace impd::config
