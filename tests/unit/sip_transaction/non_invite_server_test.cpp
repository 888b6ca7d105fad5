// Non-INVITE server transaction (RFC 3261 §17.2.2): request retransmissions absorbed or
// answered with the last response, Timer J on UDP, none on TCP.
#include <gtest/gtest.h>

#include "sip_test_util.h"

namespace impd::sip::test {
namespace {

using Kind = Delivered::Kind;

class NonInviteServer : public LayerFixture {
 protected:
  TransactionKey receive(const Destination& from) {
    EXPECT_TRUE(layer.receive(message, from).ok());
    return host.delivered.empty() ? TransactionKey{} : host.delivered.back().key;
  }
  Message message = request("MESSAGE", "z9hG4bKns1");
};

TEST_F(NonInviteServer, RetransmissionWhileTryingIsAbsorbed) {
  const auto key = receive(udpPeer());
  EXPECT_EQ(layer.state(key), TransactionState::Trying);
  ASSERT_TRUE(layer.receive(message, udpPeer()).ok());
  EXPECT_EQ(host.count(Kind::Request), 1u);
  EXPECT_TRUE(host.sent.empty());  // no 100 Trying for non-INVITE (RFC 4320)
}

TEST_F(NonInviteServer, RetransmissionGetsTheLastResponse) {
  const auto key = receive(udpPeer());
  ASSERT_TRUE(layer.respond(responseTo(message, 100)).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Proceeding);
  ASSERT_TRUE(layer.receive(message, udpPeer()).ok());
  ASSERT_EQ(host.sent.size(), 2u);
  EXPECT_EQ(host.sent[1].message.status(), 100);

  ASSERT_TRUE(layer.respond(responseTo(message, 200, "s2")).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Completed);
  ASSERT_TRUE(layer.receive(message, udpPeer()).ok());
  ASSERT_EQ(host.sent.size(), 4u);
  EXPECT_EQ(host.sent[3].message.status(), 200);
  EXPECT_EQ(host.sent[3].to, udpPeer());
  EXPECT_EQ(host.count(Kind::Request), 1u);
  EXPECT_FALSE(layer.respond(responseTo(message, 500, "s2")).ok());
}

TEST_F(NonInviteServer, UdpLingersForTimerJ) {
  receive(udpPeer());
  ASSERT_TRUE(layer.respond(responseTo(message, 200, "s2")).ok());
  run(31999ms);
  EXPECT_EQ(layer.size(), 1u);
  EXPECT_EQ(host.sent.size(), 1u);  // a server never retransmits non-INVITE responses itself
  run(1ms);
  EXPECT_EQ(layer.size(), 0u);
  EXPECT_EQ(host.count(Kind::TimedOut), 0u);
}

TEST_F(NonInviteServer, TcpEndsWithTheFinalResponse) {
  receive(tcpPeer());
  ASSERT_TRUE(layer.respond(responseTo(message, 200, "s2")).ok());
  EXPECT_EQ(layer.size(), 0u);
  EXPECT_EQ(host.sent[0].to, tcpPeer());
  // A late duplicate is a new transaction: the TU sees it again and must cope (RFC 3261
  // accepts this because TCP does not duplicate).
  ASSERT_TRUE(layer.receive(message, tcpPeer()).ok());
  EXPECT_EQ(host.count(Kind::Request), 2u);
}

TEST_F(NonInviteServer, UnansweredTransactionIsDroppedAfter64T1) {
  const auto key = receive(udpPeer());
  run(32s);
  ASSERT_EQ(host.count(Kind::TimedOut), 1u);
  EXPECT_EQ(host.delivered.back().key, key);
  EXPECT_EQ(layer.size(), 0u);
  EXPECT_FALSE(layer.respond(responseTo(message, 200, "s2")).ok());
}

TEST_F(NonInviteServer, TuMayAnswerFromInsideDelivery) {
  host.onRequest = [this](const Message& m, const TransactionKey&) {
    EXPECT_TRUE(layer.respond(responseTo(m, 200, "s3")).ok());
  };
  receive(tcpPeer());  // the reliable transport terminates it inside the callback
  EXPECT_EQ(host.sent.size(), 1u);
  EXPECT_EQ(layer.size(), 0u);
}

}  // namespace
}  // namespace impd::sip::test
