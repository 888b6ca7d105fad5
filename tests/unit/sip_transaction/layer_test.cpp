// Matching rules of the transaction layer (RFC 3261 §17.1.3, §17.2.3): CANCEL as its own
// transaction, stray responses, sent-by and method in the key, RFC 2543 branches, transport
// failure, and the deadline index across transactions.
#include <gtest/gtest.h>

#include "codec/sip/transaction_key.h"
#include "codec/sip/transaction_messages.h"
#include "sip_test_util.h"

namespace impd::sip::test {
namespace {

using Kind = Delivered::Kind;

class Layer : public LayerFixture {};

TEST_F(Layer, CancelIsItsOwnServerTransactionAndNamesTheInvite) {
  const Message invite = request("INVITE", "z9hG4bKcx1");
  ASSERT_TRUE(layer.receive(invite, udpPeer()).ok());
  const TransactionKey inviteKey = host.delivered.back().key;
  ASSERT_TRUE(layer.respond(responseTo(invite, 180, "s1")).ok());

  const Message cancel = request("CANCEL", "z9hG4bKcx1");
  ASSERT_TRUE(layer.receive(cancel, udpPeer()).ok());
  ASSERT_EQ(host.count(Kind::Request), 2u);
  const TransactionKey cancelKey = host.delivered.back().key;
  EXPECT_NE(cancelKey, inviteKey);
  EXPECT_EQ(layer.size(), 2u);
  EXPECT_EQ(layer.cancelTarget(cancel), inviteKey);

  // The TU answers both, as §9.2 asks.
  ASSERT_TRUE(layer.respond(responseTo(cancel, 200, "s1")).ok());
  ASSERT_TRUE(layer.respond(responseTo(invite, 487, "s1")).ok());
  EXPECT_EQ(layer.state(cancelKey), TransactionState::Completed);
  EXPECT_EQ(layer.state(inviteKey), TransactionState::Completed);
  ASSERT_EQ(host.sent.size(), 3u);
  EXPECT_EQ(host.sent[1].message.get("CSeq"), "1 CANCEL");
  EXPECT_EQ(host.sent[2].message.get("CSeq"), "1 INVITE");
}

TEST_F(Layer, CancelForNothingHasNoTarget) {
  EXPECT_FALSE(layer.cancelTarget(request("CANCEL", "z9hG4bKnone")));
}

TEST_F(Layer, ClientCancelAndInviteResponsesReachTheirOwnTransactions) {
  const Message invite = request("INVITE", "z9hG4bKcc1");
  const auto inviteKey = layer.sendRequest(invite, udpPeer());
  ASSERT_TRUE(inviteKey.ok());
  ASSERT_TRUE(layer.receive(responseTo(invite, 180, "b1"), udpPeer()).ok());

  const Message cancel = cancelFor(invite);
  EXPECT_EQ(cancel.method(), "CANCEL");
  EXPECT_EQ(cancel.requestUri(), invite.requestUri());
  EXPECT_EQ(cancel.get("Via"), invite.get("Via"));
  EXPECT_EQ(cancel.get("To"), invite.get("To"));
  EXPECT_EQ(cancel.get("CSeq"), "1 CANCEL");
  const auto cancelKey = layer.sendRequest(cancel, udpPeer());
  ASSERT_TRUE(cancelKey.ok());
  EXPECT_NE(*cancelKey, *inviteKey);

  ASSERT_TRUE(layer.receive(responseTo(cancel, 200, "b1"), udpPeer()).ok());
  EXPECT_EQ(host.delivered.back().key, *cancelKey);
  ASSERT_TRUE(layer.receive(responseTo(invite, 487, "b1"), udpPeer()).ok());
  EXPECT_EQ(host.delivered.back().key, *inviteKey);
  EXPECT_EQ(host.sent.back().message.method(), "ACK");
}

TEST_F(Layer, StrayTwoHundredReachesTheTu) {
  const Message invite = request("INVITE", "z9hG4bKgone");
  ASSERT_TRUE(layer.receive(responseTo(invite, 200, "b9"), udpPeer()).ok());
  ASSERT_EQ(host.count(Kind::Stray), 1u);
  EXPECT_EQ(host.delivered.back().message.status(), 200);
}

TEST_F(Layer, SameBranchFromAnotherSentByIsAnotherTransaction) {
  ASSERT_TRUE(layer.receive(request("MESSAGE", "z9hG4bKsb1", "a.example.org"), udpPeer()).ok());
  ASSERT_TRUE(layer.receive(request("MESSAGE", "z9hG4bKsb1", "b.example.org"), udpPeer()).ok());
  ASSERT_TRUE(layer.receive(request("MESSAGE", "z9hG4bKsb1", "A.EXAMPLE.ORG"), udpPeer()).ok());
  EXPECT_EQ(host.count(Kind::Request), 2u);  // host names compare case-insensitively
  EXPECT_EQ(layer.size(), 2u);
}

TEST_F(Layer, Rfc2543BranchMatchesOnDialogFields) {
  const Message invite = request("INVITE", "oldstyle1");
  ASSERT_TRUE(layer.receive(invite, udpPeer()).ok());
  ASSERT_TRUE(layer.receive(invite, udpPeer()).ok());
  EXPECT_EQ(host.count(Kind::Request), 1u);
  ASSERT_TRUE(layer.respond(responseTo(invite, 486, "s1")).ok());
  ASSERT_TRUE(layer.receive(request("ACK", "oldstyle1"), udpPeer()).ok());
  EXPECT_EQ(host.count(Kind::Request), 1u);
  EXPECT_EQ(layer.state(host.delivered[0].key), TransactionState::Confirmed);
}

TEST_F(Layer, UnmatchableMessagesAreErrors) {
  Message noVia = Message::request("OPTIONS", "sip:bob@example.com");
  noVia.add("CSeq", "1 OPTIONS");
  const auto r = layer.receive(noVia, udpPeer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().condition, "bad-request");

  // A response whose branch we could never have written.
  EXPECT_FALSE(layer.receive(responseTo(request("OPTIONS", "oldstyle2"), 200), udpPeer()).ok());
  EXPECT_TRUE(host.delivered.empty());
}

TEST_F(Layer, SendRequestRefusesAckAndDuplicates) {
  EXPECT_FALSE(layer.sendRequest(request("ACK", "z9hG4bKa1"), udpPeer()).ok());
  const Message options = request("OPTIONS", "z9hG4bKd1");
  ASSERT_TRUE(layer.sendRequest(options, udpPeer()).ok());
  const auto again = layer.sendRequest(options, udpPeer());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().condition, "duplicate-transaction");
  EXPECT_FALSE(layer.sendRequest(request("OPTIONS", "no-cookie"), udpPeer()).ok());

  layer.sendStateless(request("ACK", "z9hG4bKa1"), udpPeer());
  EXPECT_EQ(host.sent.back().message.method(), "ACK");
}

TEST_F(Layer, RespondWithoutTransactionFails) {
  const auto r = layer.respond(responseTo(request("MESSAGE", "z9hG4bKx"), 200));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().condition, "no-transaction");
}

TEST_F(Layer, TransportFailureEndsTheTransactionsOfThatPeer) {
  ASSERT_TRUE(layer.sendRequest(request("OPTIONS", "z9hG4bKt1"), tcpPeer()).ok());
  ASSERT_TRUE(layer.sendRequest(request("OPTIONS", "z9hG4bKt2"), udpPeer()).ok());
  layer.transportFailed(tcpPeer());
  ASSERT_EQ(host.count(Kind::TransportError), 1u);
  EXPECT_NE(host.delivered.back().message.get("Via")->find("z9hG4bKt1"), std::string_view::npos);
  EXPECT_EQ(layer.size(), 1u);
}

TEST_F(Layer, NextDeadlineIsTheEarliestOfAllTransactions) {
  const auto t0 = clock.now();
  ASSERT_TRUE(layer.sendRequest(request("OPTIONS", "z9hG4bKn1"), tcpPeer()).ok());
  EXPECT_EQ(layer.nextDeadline(), t0 + 32s);  // Timer F only
  clock.advance(1s);
  ASSERT_TRUE(layer.sendRequest(request("OPTIONS", "z9hG4bKn2"), udpPeer()).ok());
  EXPECT_EQ(layer.nextDeadline(), t0 + 1500ms);  // its Timer E
  ASSERT_TRUE(layer.receive(request("INVITE", "z9hG4bKn3"), udpPeer()).ok());
  EXPECT_EQ(layer.nextDeadline(), t0 + 1200ms);  // the 100 Trying delay
}

TEST(TransactionKeys, AckFilesUnderInviteCancelUnderItself) {
  const auto invite = serverKeyOf(request("INVITE", "z9hG4bKk1"));
  const auto ack = serverKeyOf(request("ACK", "z9hG4bKk1"));
  const auto cancel = serverKeyOf(request("CANCEL", "z9hG4bKk1"));
  ASSERT_TRUE(invite.ok() && ack.ok() && cancel.ok());
  EXPECT_EQ(*invite, *ack);
  EXPECT_NE(*invite, *cancel);
  const Message req = request("INVITE", "z9hG4bKk1");
  EXPECT_EQ(*serverKeyOf(responseTo(req, 180)), *invite);
  EXPECT_EQ(*clientKeyOf(responseTo(req, 180)), *clientKeyOf(req));
}

}  // namespace
}  // namespace impd::sip::test
