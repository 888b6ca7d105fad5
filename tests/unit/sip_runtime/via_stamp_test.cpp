// Via received/rport on receipt (RFC 3261 §18.2.1, RFC 3581 §4) and the UDP response target.
#include "sip/via_stamp.h"

#include <gtest/gtest.h>

#include "codec/sip/headers.h"
#include "test_messages.h"

namespace impd::sip {
namespace {

using test::RequestSpec;

Message withVia(std::string via, std::string extra = {}) {
  RequestSpec spec;
  spec.via = std::move(via);
  spec.extra = std::move(extra);
  return test::request(spec);
}

std::string topVia(const Message& m) { return std::string(m.get("Via").value_or("")); }

TEST(ViaStamp, SameAddressLeftAlone) {
  auto m = withVia("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-1");
  ASSERT_TRUE(stampTopVia(m, "192.0.2.7", 40000).ok());
  EXPECT_EQ(topVia(m), "SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-1");
}

TEST(ViaStamp, HostNameOrOtherAddressGetsReceived) {
  auto m = withVia("SIP/2.0/TCP edge.lync.test;branch=z9hG4bK-1");
  ASSERT_TRUE(stampTopVia(m, "192.0.2.7", 40000).ok());
  EXPECT_EQ(topVia(m), "SIP/2.0/TCP edge.lync.test;branch=z9hG4bK-1;received=192.0.2.7");
  auto natted = withVia("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-2");
  ASSERT_TRUE(stampTopVia(natted, "192.0.2.7", 5060).ok());
  EXPECT_EQ(Via::parse(topVia(natted))->received(), "192.0.2.7");
}

TEST(ViaStamp, RportIsFilledAndReceivedAlwaysAdded) {
  auto m = withVia("SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK-1");
  ASSERT_TRUE(stampTopVia(m, "192.0.2.7", 40000).ok());
  auto via = Via::parse(topVia(m));
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->rport().port, 40000);
  EXPECT_EQ(via->received(), "192.0.2.7");
}

TEST(ViaStamp, OnlyTheTopViaChangesAndKeepsItsPlace) {
  RequestSpec spec;
  spec.via = "SIP/2.0/UDP proxy.lync.test;branch=z9hG4bK-top";
  spec.extra = "Via: SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK-second\r\n";
  auto m = test::request(spec);
  ASSERT_TRUE(stampTopVia(m, "192.0.2.7", 5060).ok());
  auto vias = m.getAll("Via");
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_EQ(vias[0], "SIP/2.0/UDP proxy.lync.test;branch=z9hG4bK-top;received=192.0.2.7");
  EXPECT_EQ(vias[1], "SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK-second");
}

TEST(ViaStamp, Ipv6SourceIsBracketedAndReadsBack) {
  auto m = withVia("SIP/2.0/TCP edge.lync.test;rport;branch=z9hG4bK-1");
  ASSERT_TRUE(stampTopVia(m, "::1", 5070).ok());
  auto via = Via::parse(topVia(m));
  ASSERT_TRUE(via.ok()) << topVia(m);
  EXPECT_EQ(via->received(), "[::1]");
  auto target = udpResponseTarget(m);
  ASSERT_TRUE(target);
  EXPECT_EQ(*target, (UdpTarget{"::1", 5070}));
}

TEST(ViaStamp, UnusableViaIsAnError) {
  auto m = withVia("SIP/2.0/UDP 192.0.2.7;branch=z9hG4bK-1");
  m.remove("Via");
  EXPECT_FALSE(stampTopVia(m, "192.0.2.7", 5060).ok());
  m.add("Via", "garbage");
  EXPECT_FALSE(stampTopVia(m, "192.0.2.7", 5060).ok());
  EXPECT_FALSE(udpResponseTarget(m));
}

TEST(UdpResponseTarget, FollowsReceivedRportAndSentBy) {
  EXPECT_EQ(udpResponseTarget(withVia("SIP/2.0/UDP a.test:5070;branch=z9hG4bK-1;received=192.0.2.7;rport=40000")),
            (UdpTarget{"192.0.2.7", 40000}));
  EXPECT_EQ(udpResponseTarget(withVia("SIP/2.0/UDP a.test:5070;branch=z9hG4bK-1;received=192.0.2.7")),
            (UdpTarget{"192.0.2.7", 5070}));
  EXPECT_EQ(udpResponseTarget(withVia("SIP/2.0/UDP 192.0.2.8;branch=z9hG4bK-1")), (UdpTarget{"192.0.2.8", 5060}));
}

}  // namespace
}  // namespace impd::sip
