// Subscription-State values (RFC 6665 §4.1.3) and delta-seconds headers.
#include <gtest/gtest.h>

#include "codec/sip/subscription.h"

namespace impd::sip {
namespace {

TEST(SubscriptionStateValue, ParsesEachForm) {
  auto active = parseSubscriptionState("active;expires=3600");
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(*active,
            (SubscriptionStateValue{SubscriptionState::Active, std::nullopt, 3600, std::nullopt}));
  auto pending = parseSubscriptionState("Pending ; Expires=10");
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->state, SubscriptionState::Pending);
  EXPECT_EQ(pending->expires, 10u);
  auto ended = parseSubscriptionState("terminated;reason=probation;retry-after=30");
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended->reason, TerminationReason::Probation);
  EXPECT_EQ(ended->retryAfter, 30u);
}

TEST(SubscriptionStateValue, UnknownOrMissingReasonIsNoReason) {
  auto unknown = parseSubscriptionState("terminated;reason=moved-to-mars");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->reason);
  auto bare = parseSubscriptionState("terminated");
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(bare->reason);
}

TEST(SubscriptionStateValue, RefusesGarbage) {
  EXPECT_FALSE(parseSubscriptionState("").ok());
  EXPECT_FALSE(parseSubscriptionState("dormant").ok());
  EXPECT_FALSE(parseSubscriptionState("active;expires=soon").ok());
  EXPECT_FALSE(parseSubscriptionState("active;expires=").ok());
}

TEST(SubscriptionStateValue, FormatsEveryReason) {
  const std::pair<TerminationReason, const char*> cases[] = {
      {TerminationReason::Deactivated, "terminated;reason=deactivated"},
      {TerminationReason::Probation, "terminated;reason=probation"},
      {TerminationReason::Rejected, "terminated;reason=rejected"},
      {TerminationReason::Timeout, "terminated;reason=timeout"},
      {TerminationReason::Giveup, "terminated;reason=giveup"},
      {TerminationReason::Noresource, "terminated;reason=noresource"},
      {TerminationReason::Invariant, "terminated;reason=invariant"},
  };
  for (const auto& [reason, text] : cases) {
    const SubscriptionStateValue v{SubscriptionState::Terminated, reason, {}, {}};
    EXPECT_EQ(formatSubscriptionState(v), text);
    EXPECT_EQ(*parseSubscriptionState(text), v);
  }
  EXPECT_EQ(formatSubscriptionState({SubscriptionState::Active, {}, 60, {}}), "active;expires=60");
}

TEST(DeltaSeconds, ReadsTheLeadingNumber) {
  Message m = Message::response(503);
  m.add("Retry-After", "120 (maintenance);duration=60");
  m.add("Expires", "99999999999");
  m.add("Min-Expires", "soon");
  EXPECT_EQ(deltaSeconds(m, "Retry-After"), 120u);
  EXPECT_EQ(deltaSeconds(m, "Expires"), 4294967295u);  // saturates (§20.19)
  EXPECT_FALSE(deltaSeconds(m, "Min-Expires"));
  EXPECT_FALSE(deltaSeconds(m, "Subscription-Expires"));
}

}  // namespace
}  // namespace impd::sip
