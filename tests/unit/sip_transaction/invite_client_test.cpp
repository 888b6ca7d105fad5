// INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §7.2): timer schedule on UDP and TCP,
// the ACK it generates for non-2xx responses, and 2xx handling.
#include <gtest/gtest.h>

#include "codec/sip/headers.h"
#include "sip_test_util.h"

namespace impd::sip::test {
namespace {

using Kind = Delivered::Kind;
using Ms = std::vector<long>;

class InviteClient : public LayerFixture {
 protected:
  TransactionKey start(const Destination& to) {
    auto key = layer.sendRequest(invite, to);
    EXPECT_TRUE(key.ok());
    return key.ok() ? *key : TransactionKey{};
  }
  Message invite = request("INVITE", "z9hG4bKic1");
};

TEST_F(InviteClient, UdpTimerADoublesWithoutCapUntilTimerB) {
  const auto key = start(udpPeer());
  EXPECT_EQ(layer.state(key), TransactionState::Calling);
  run(31999ms);
  EXPECT_EQ(host.sentAtMs(), (Ms{0, 500, 1500, 3500, 7500, 15500, 31500}));
  EXPECT_EQ(host.count(Kind::TimedOut), 0u);

  run(1ms);  // Timer B = 64*T1 = 32 s
  ASSERT_EQ(host.count(Kind::TimedOut), 1u);
  EXPECT_EQ(host.delivered.back().key, key);
  EXPECT_EQ(host.delivered.back().message.method(), "INVITE");
  EXPECT_EQ(layer.size(), 0u);
  EXPECT_FALSE(layer.nextDeadline());
}

TEST_F(InviteClient, TcpSendsOnceAndTimesOutAt64T1) {
  start(tcpPeer());
  run(31999ms);
  EXPECT_EQ(host.sentAtMs(), Ms{0});
  EXPECT_EQ(host.count(Kind::TimedOut), 0u);
  run(1ms);
  EXPECT_EQ(host.count(Kind::TimedOut), 1u);
  EXPECT_EQ(host.sent.front().to, tcpPeer());
}

TEST_F(InviteClient, ProvisionalStopsRetransmissionsAndTimerB) {
  const auto key = start(udpPeer());
  run(100ms);
  ASSERT_TRUE(layer.receive(responseTo(invite, 180, "b1"), udpPeer()).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Proceeding);
  run(120s);  // an INVITE may ring as long as the callee likes
  EXPECT_EQ(host.sentAtMs(), Ms{0});
  EXPECT_EQ(host.count(Kind::TimedOut), 0u);
  ASSERT_EQ(host.count(Kind::Response), 1u);
  EXPECT_EQ(host.delivered[0].message.status(), 180);
  EXPECT_EQ(host.delivered[0].key, key);
}

TEST_F(InviteClient, NonTwoHundredIsAcknowledgedByTheTransaction) {
  const auto key = start(udpPeer());
  ASSERT_TRUE(layer.receive(responseTo(invite, 180, "b1"), udpPeer()).ok());
  const Message busy = responseTo(invite, 486, "b1");
  ASSERT_TRUE(layer.receive(busy, udpPeer()).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Completed);

  ASSERT_EQ(host.sent.size(), 2u);
  const Message& ack = host.sent[1].message;
  EXPECT_EQ(ack.method(), "ACK");
  EXPECT_EQ(ack.requestUri(), invite.requestUri());
  EXPECT_EQ(ack.get("CSeq"), "1 ACK");
  EXPECT_EQ(ack.get("Call-ID"), invite.get("Call-ID"));
  EXPECT_EQ(ack.get("From"), invite.get("From"));
  EXPECT_EQ(ack.get("To"), busy.get("To"));  // with the UAS's tag
  EXPECT_EQ(ack.getAll("Via").size(), 1u);
  EXPECT_EQ(ack.get("Via"), invite.get("Via"));  // same branch: same transaction
  ASSERT_EQ(host.count(Kind::Response), 2u);
  EXPECT_EQ(host.delivered.back().message.status(), 486);

  // The UAS missed our ACK and retransmits: ACK again, the TU hears nothing new.
  run(2s);
  ASSERT_TRUE(layer.receive(busy, udpPeer()).ok());
  EXPECT_EQ(host.sent.size(), 3u);
  EXPECT_EQ(host.sent[2].message.method(), "ACK");
  EXPECT_EQ(host.count(Kind::Response), 2u);

  run(30s);  // Timer D = 32 s from the first 486
  EXPECT_EQ(layer.size(), 0u);
  EXPECT_EQ(host.count(Kind::TimedOut), 0u);
}

TEST_F(InviteClient, NonTwoHundredOverTcpEndsAtOnce) {
  start(tcpPeer());
  ASSERT_TRUE(layer.receive(responseTo(invite, 603, "b1"), tcpPeer()).ok());
  EXPECT_EQ(host.sent.size(), 2u);  // INVITE, ACK
  EXPECT_EQ(layer.size(), 0u);      // Timer D is zero
}

TEST_F(InviteClient, TwoHundredGoesToTheTuAndItsRetransmissionsToo) {
  const auto key = start(udpPeer());
  const Message ok = responseTo(invite, 200, "b1");
  ASSERT_TRUE(layer.receive(ok, udpPeer()).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Accepted);
  EXPECT_EQ(host.sent.size(), 1u);  // no ACK from the transaction: the TU acknowledges a 2xx
  run(1s);
  ASSERT_TRUE(layer.receive(ok, udpPeer()).ok());
  EXPECT_EQ(host.count(Kind::Response), 2u);  // RFC 6026: passed up so the TU re-ACKs
  EXPECT_EQ(host.sentAtMs(), Ms{0});          // and Timer A stopped

  run(31s);  // Timer M
  EXPECT_EQ(layer.size(), 0u);
  ASSERT_TRUE(layer.receive(ok, udpPeer()).ok());
  EXPECT_EQ(host.count(Kind::Stray), 1u);
}

TEST_F(InviteClient, ConfiguredT1ScalesEveryTimer) {
  TimerConfig fast;
  fast.t1 = 100ms;
  FakeClock c;
  RecordingHost h(c);
  TransactionLayer l(h, c, fast);
  ASSERT_TRUE(l.sendRequest(invite, udpPeer()).ok());
  EXPECT_EQ(l.nextDeadline(), c.now() + 100ms);
  c.advance(6400ms);  // one late onTimer: B is due, the retransmission is moot
  l.onTimer(c.now());
  EXPECT_EQ(h.count(Kind::TimedOut), 1u);
  EXPECT_EQ(h.sent.size(), 1u);
}

}  // namespace
}  // namespace impd::sip::test
