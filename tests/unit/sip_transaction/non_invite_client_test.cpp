// Non-INVITE client transaction (RFC 3261 §17.1.2): Timer E doubling up to T2, Timer F, the
// switch to T2 in Proceeding, Timer K, and TCP.
#include <gtest/gtest.h>

#include "sip_test_util.h"

namespace impd::sip::test {
namespace {

using Kind = Delivered::Kind;
using Ms = std::vector<long>;

class NonInviteClient : public LayerFixture {
 protected:
  TransactionKey start(const Destination& to) {
    auto key = layer.sendRequest(message, to);
    EXPECT_TRUE(key.ok());
    return key.ok() ? *key : TransactionKey{};
  }
  Message message = request("MESSAGE", "z9hG4bKnc1");
};

TEST_F(NonInviteClient, UdpTimerEDoublesUpToT2UntilTimerF) {
  const auto key = start(udpPeer());
  EXPECT_EQ(layer.state(key), TransactionState::Trying);
  run(31999ms);
  EXPECT_EQ(host.sentAtMs(),
            (Ms{0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
  EXPECT_EQ(host.count(Kind::TimedOut), 0u);
  run(1ms);
  ASSERT_EQ(host.count(Kind::TimedOut), 1u);
  EXPECT_EQ(host.delivered.back().key, key);
  EXPECT_EQ(layer.size(), 0u);
}

TEST_F(NonInviteClient, TcpSendsOnceAndTimesOutAt64T1) {
  start(tcpPeer());
  run(32s);
  EXPECT_EQ(host.sentAtMs(), Ms{0});
  EXPECT_EQ(host.count(Kind::TimedOut), 1u);
  EXPECT_EQ(host.delivered.back().at, 32s);
}

TEST_F(NonInviteClient, ProceedingRetransmitsEveryT2AndStillTimesOut) {
  const auto key = start(udpPeer());
  run(100ms);
  ASSERT_TRUE(layer.receive(responseTo(message, 100), udpPeer()).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Proceeding);
  run(10s);
  // The pending E (500 ms) still fires; after it the interval is T2.
  EXPECT_EQ(host.sentAtMs(), (Ms{0, 500, 4500, 8500}));
  run(22s);
  EXPECT_EQ(host.count(Kind::TimedOut), 1u);  // Timer F is not stopped by a 1xx
  EXPECT_EQ(host.count(Kind::Response), 1u);
}

TEST_F(NonInviteClient, FinalResponseCompletesAndRetransmissionsAreAbsorbed) {
  const auto key = start(udpPeer());
  run(700ms);
  const Message ok = responseTo(message, 200, "b2");
  ASSERT_TRUE(layer.receive(ok, udpPeer()).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Completed);
  ASSERT_TRUE(layer.receive(ok, udpPeer()).ok());
  EXPECT_EQ(host.count(Kind::Response), 1u);
  run(4999ms);
  EXPECT_EQ(layer.size(), 1u);
  EXPECT_EQ(host.sentAtMs(), (Ms{0, 500}));  // no retransmission once completed
  run(1ms);                                  // Timer K = T4
  EXPECT_EQ(layer.size(), 0u);
}

TEST_F(NonInviteClient, FinalResponseOverTcpEndsAtOnce) {
  start(tcpPeer());
  ASSERT_TRUE(layer.receive(responseTo(message, 404, "b2"), tcpPeer()).ok());
  EXPECT_EQ(host.count(Kind::Response), 1u);
  EXPECT_EQ(layer.size(), 0u);  // Timer K is zero
}

}  // namespace
}  // namespace impd::sip::test
