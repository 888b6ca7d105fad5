// Notifier-side subscriptions (RFC 6665 §4.2): granted expiry, 423, states and the
// Subscription-State value each NOTIFY carries, timed by a FakeClock.
#include <gtest/gtest.h>

#include "codec/sip/subscription_notifier.h"

namespace impd::sip {
namespace {

using namespace std::chrono_literals;

TEST(DecideExpires, DefaultShortenMinimumAndZero) {
  const ExpiryPolicy policy{3600s, 60s, 7200s};
  EXPECT_EQ(decideExpires(std::nullopt, policy).granted, 3600s);  // presence default
  EXPECT_EQ(decideExpires(86400, policy).granted, 7200s);         // shortened, never longer
  EXPECT_EQ(decideExpires(600, policy).granted, 600s);
  EXPECT_TRUE(decideExpires(59, policy).tooBrief);  // 423 + Min-Expires: 60
  EXPECT_FALSE(decideExpires(60, policy).tooBrief);
  const auto zero = decideExpires(0, policy);
  EXPECT_FALSE(zero.tooBrief);
  EXPECT_EQ(zero.granted, 0s);
}

class Notifier : public ::testing::Test {
 protected:
  FakeClock clock;
  NotifierSubscription sub{ExpiryPolicy{3600s, 60s, 43200s}};
};

TEST_F(Notifier, PendingThenActiveWithRemainingTime) {
  auto d = sub.onSubscribe(std::nullopt, clock.now());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->granted, 3600s);
  EXPECT_EQ(sub.state(), SubscriptionState::Pending);
  EXPECT_EQ(sub.subscriptionStateHeader(clock.now()), "pending;expires=3600");
  clock.advance(100s);
  sub.activate();
  EXPECT_EQ(sub.subscriptionStateHeader(clock.now()), "active;expires=3500");
  clock.advance(500ms);
  EXPECT_EQ(sub.subscriptionStateHeader(clock.now()), "active;expires=3499");  // rounded down
}

TEST_F(Notifier, RefreshExtendsFromNow) {
  ASSERT_TRUE(sub.onSubscribe(600, clock.now()).ok());
  sub.activate();
  clock.advance(500s);
  ASSERT_TRUE(sub.onSubscribe(600, clock.now()).ok());
  EXPECT_EQ(sub.subscriptionStateHeader(clock.now()), "active;expires=600");
  EXPECT_EQ(sub.nextDeadline(), clock.now() + 600s);
}

TEST_F(Notifier, ExpiryTerminatesWithTimeout) {
  ASSERT_TRUE(sub.onSubscribe(600, clock.now()).ok());
  sub.activate();
  clock.advance(599s);
  EXPECT_FALSE(sub.onTimer(clock.now()));
  clock.advance(1s);
  EXPECT_TRUE(sub.onTimer(clock.now()));
  EXPECT_EQ(sub.state(), SubscriptionState::Terminated);
  EXPECT_EQ(sub.subscriptionStateHeader(clock.now()), "terminated;reason=timeout");
  EXPECT_FALSE(sub.onTimer(clock.now()));  // only once
  EXPECT_FALSE(sub.nextDeadline());
  EXPECT_FALSE(sub.onSubscribe(600, clock.now()).ok());  // 481 from here on
}

TEST_F(Notifier, ExpiresZeroEndsAfterOneFinalNotify) {
  ASSERT_TRUE(sub.onSubscribe(3600, clock.now()).ok());
  sub.activate();
  auto d = sub.onSubscribe(0, clock.now());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->granted, 0s);
  EXPECT_EQ(sub.state(), SubscriptionState::Terminated);
  EXPECT_EQ(sub.subscriptionStateHeader(clock.now()), "terminated;reason=timeout");
}

TEST_F(Notifier, TooBriefChangesNothing) {
  auto d = sub.onSubscribe(30, clock.now());
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->tooBrief);
  EXPECT_EQ(sub.state(), SubscriptionState::Pending);
  EXPECT_FALSE(sub.nextDeadline());
}

TEST_F(Notifier, RejectedAndProbation) {
  ASSERT_TRUE(sub.onSubscribe(3600, clock.now()).ok());
  sub.terminate(TerminationReason::Rejected);
  EXPECT_EQ(sub.subscriptionStateHeader(clock.now()), "terminated;reason=rejected");
  sub.terminate(TerminationReason::Noresource);  // the first reason stands
  EXPECT_EQ(sub.reason(), TerminationReason::Rejected);

  NotifierSubscription other;
  ASSERT_TRUE(other.onSubscribe(3600, clock.now()).ok());
  other.activate();
  other.terminate(TerminationReason::Probation, 30s);
  EXPECT_EQ(other.subscriptionStateHeader(clock.now()),
            "terminated;reason=probation;retry-after=30");
}

}  // namespace
}  // namespace impd::sip
