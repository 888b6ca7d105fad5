// INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1): 100 Trying, response
// retransmission on request retransmission, Timer G/H/I over UDP and TCP, ACK absorption.
#include <gtest/gtest.h>

#include "sip_test_util.h"

namespace impd::sip::test {
namespace {

using Kind = Delivered::Kind;
using Ms = std::vector<long>;

class InviteServer : public LayerFixture {
 protected:
  TransactionKey receive(const Destination& from) {
    EXPECT_TRUE(layer.receive(invite, from).ok());
    EXPECT_EQ(host.count(Kind::Request), 1u);
    return host.delivered.empty() ? TransactionKey{} : host.delivered.back().key;
  }
  Message invite = request("INVITE", "z9hG4bKis1");
  Message ack = request("ACK", "z9hG4bKis1");
};

TEST_F(InviteServer, SendsTryingAfter200msWhenTheTuIsSilent) {
  const auto key = receive(udpPeer());
  EXPECT_EQ(layer.state(key), TransactionState::Proceeding);
  run(199ms);
  EXPECT_TRUE(host.sent.empty());
  run(1ms);
  ASSERT_EQ(host.sent.size(), 1u);
  const Message& trying = host.sent[0].message;
  EXPECT_EQ(trying.status(), 100);
  EXPECT_EQ(trying.get("Via"), invite.get("Via"));
  EXPECT_EQ(trying.get("CSeq"), "1 INVITE");
  EXPECT_EQ(trying.get("To"), invite.get("To"));  // no tag on a 100
  EXPECT_EQ(host.sent[0].to, udpPeer());

  // A retransmitted INVITE gets the 100 again and is not delivered twice.
  ASSERT_TRUE(layer.receive(invite, udpPeer()).ok());
  EXPECT_EQ(host.sent.size(), 2u);
  EXPECT_EQ(host.count(Kind::Request), 1u);
}

TEST_F(InviteServer, NoTryingWhenTheTuAnswersFirst) {
  receive(udpPeer());
  run(50ms);
  ASSERT_TRUE(layer.respond(responseTo(invite, 180, "s1")).ok());
  run(1s);
  ASSERT_EQ(host.sent.size(), 1u);
  EXPECT_EQ(host.sent[0].message.status(), 180);
  ASSERT_TRUE(layer.receive(invite, udpPeer()).ok());  // re-sends the last provisional
  EXPECT_EQ(host.sent.back().message.status(), 180);
}

TEST(InviteServerImmediate, ZeroDelaySendsTryingAtOnce) {
  TimerConfig timers;
  timers.tryingDelay = Duration{0};
  FakeClock clock;
  RecordingHost host(clock);
  TransactionLayer layer(host, clock, timers);
  ASSERT_TRUE(layer.receive(request("INVITE", "z9hG4bKis2"), udpPeer()).ok());
  ASSERT_EQ(host.sent.size(), 1u);
  EXPECT_EQ(host.sent[0].message.status(), 100);
}

TEST_F(InviteServer, UdpFinalResponseRetransmitsWithTimerGUntilTimerH) {
  const auto key = receive(udpPeer());
  ASSERT_TRUE(layer.respond(responseTo(invite, 486, "s1")).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Completed);
  run(31999ms);
  EXPECT_EQ(host.sentAtMs(),
            (Ms{0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
  EXPECT_EQ(host.count(Kind::TimedOut), 0u);
  run(1ms);  // Timer H: the ACK never came
  EXPECT_EQ(host.count(Kind::TimedOut), 1u);
  EXPECT_EQ(layer.size(), 0u);
}

TEST_F(InviteServer, AckConfirmsAndIsAbsorbed) {
  const auto key = receive(udpPeer());
  ASSERT_TRUE(layer.respond(responseTo(invite, 486, "s1")).ok());
  run(600ms);
  ASSERT_TRUE(layer.receive(ack, udpPeer()).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Confirmed);
  ASSERT_TRUE(layer.receive(ack, udpPeer()).ok());  // retransmitted ACK
  EXPECT_EQ(host.count(Kind::Request), 1u);         // the ACK is not the TU's business
  run(4999ms);
  EXPECT_EQ(host.sentAtMs(), (Ms{0, 500}));  // Timer G stopped by the ACK
  EXPECT_EQ(layer.size(), 1u);
  run(1ms);  // Timer I = T4 after the ACK
  EXPECT_EQ(layer.size(), 0u);
  EXPECT_EQ(host.count(Kind::TimedOut), 0u);
}

TEST_F(InviteServer, RetransmittedInviteInCompletedGetsTheFinalResponse) {
  receive(udpPeer());
  ASSERT_TRUE(layer.respond(responseTo(invite, 404, "s1")).ok());
  ASSERT_TRUE(layer.receive(invite, udpPeer()).ok());
  ASSERT_EQ(host.sent.size(), 2u);
  EXPECT_EQ(host.sent[1].message.status(), 404);
  EXPECT_FALSE(layer.respond(responseTo(invite, 500, "s1")).ok());  // already answered
}

TEST_F(InviteServer, TcpHasNoTimerGAndNoTimerI) {
  receive(tcpPeer());
  ASSERT_TRUE(layer.respond(responseTo(invite, 486, "s1")).ok());
  run(10s);
  EXPECT_EQ(host.sentAtMs(), Ms{0});
  ASSERT_TRUE(layer.receive(ack, tcpPeer()).ok());
  EXPECT_EQ(layer.size(), 0u);
}

TEST_F(InviteServer, TcpStillWaitsForTheAckUntilTimerH) {
  receive(tcpPeer());
  ASSERT_TRUE(layer.respond(responseTo(invite, 486, "s1")).ok());
  run(32s);
  EXPECT_EQ(host.count(Kind::TimedOut), 1u);
  EXPECT_EQ(host.sentAtMs(), Ms{0});
}

TEST_F(InviteServer, TwoHundredIsAcceptedAndInviteRetransmissionsAbsorbed) {
  const auto key = receive(udpPeer());
  const Message ok = responseTo(invite, 200, "s1");
  ASSERT_TRUE(layer.respond(ok).ok());
  EXPECT_EQ(layer.state(key), TransactionState::Accepted);
  ASSERT_TRUE(layer.receive(invite, udpPeer()).ok());
  EXPECT_EQ(host.sent.size(), 1u);           // nothing re-sent by the transaction
  EXPECT_EQ(host.count(Kind::Request), 1u);  // nor delivered again
  ASSERT_TRUE(layer.respond(ok).ok());       // the TU's own 2xx retransmission passes
  EXPECT_EQ(host.sent.size(), 2u);

  // The ACK of a 2xx has a branch of its own and goes straight to the TU.
  ASSERT_TRUE(layer.receive(request("ACK", "z9hG4bKack2xx"), udpPeer()).ok());
  ASSERT_EQ(host.count(Kind::Request), 2u);
  EXPECT_TRUE(host.delivered.back().key.empty());

  run(32s);  // Timer L
  EXPECT_EQ(layer.size(), 0u);
}

}  // namespace
}  // namespace impd::sip::test
