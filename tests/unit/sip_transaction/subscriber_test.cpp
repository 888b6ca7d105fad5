// Subscriber-side subscriptions (RFC 6665 §4.1): Timer N, refresh deadlines, failures of
// refreshes, 202 as 200, 423, and the action for each termination reason.
#include <gtest/gtest.h>

#include "codec/sip/subscription_subscriber.h"

namespace impd::sip {
namespace {

using namespace std::chrono_literals;
using Action = SubscriberAction;
using State = SubscriberSubscription::State;

Message okWithExpires(int status, std::string_view expires) {
  Message m = Message::response(status);
  if (!expires.empty()) m.add("Expires", std::string(expires));
  return m;
}

Message notifyWith(std::string_view state) {
  Message m = Message::request("NOTIFY", "sip:alice@gw.example.org");
  m.add("Event", "presence");
  if (!state.empty()) m.add("Subscription-State", std::string(state));
  return m;
}

class Subscriber : public ::testing::Test {
 protected:
  void subscribe() { sub.onSubscribeSent(clock.now()); }
  Action notify(std::string_view state) {
    auto a = sub.onNotify(notifyWith(state), clock.now());
    EXPECT_TRUE(a.ok());
    return a.ok() ? *a : Action::None;
  }
  // An established active subscription granted `expires` seconds at clock.now().
  void establish(std::string_view expires = "3600") {
    subscribe();
    EXPECT_EQ(sub.onResponse(okWithExpires(200, expires), clock.now()), Action::None);
    EXPECT_EQ(notify("active;expires=" + std::string(expires)), Action::None);
  }

  FakeClock clock;
  SubscriberSubscription sub;
};

TEST(RefreshDeadline, EarlyForLongGrantsHalfwayForShortOnes) {
  const TimePoint t{};
  EXPECT_EQ(refreshDeadline(t, 3600s), t + 3480s);
  EXPECT_EQ(refreshDeadline(t, 241s), t + 121s);
  EXPECT_EQ(refreshDeadline(t, 240s), t + 120s);
  EXPECT_EQ(refreshDeadline(t, 100s), t + 50s);
  EXPECT_EQ(refreshDeadline(t, 45s), t + 22500ms);
}

TEST_F(Subscriber, TimerNFailsASubscriptionWithoutNotify) {
  subscribe();
  EXPECT_EQ(sub.timerN(), clock.now() + 32s);  // 64*T1
  EXPECT_EQ(sub.onResponse(okWithExpires(200, "3600"), clock.now()), Action::None);
  clock.advance(31999ms);
  EXPECT_EQ(sub.onTimer(clock.now()), Action::None);
  clock.advance(1ms);
  EXPECT_EQ(sub.nextDeadline(), clock.now());
  EXPECT_EQ(sub.onTimer(clock.now()), Action::Finished);
  EXPECT_EQ(sub.state(), State::Terminated);
  EXPECT_FALSE(sub.nextDeadline());
}

TEST_F(Subscriber, NotifyStopsTimerNAndSetsTheState) {
  subscribe();
  clock.advance(1s);
  EXPECT_EQ(notify("pending;expires=3600"), Action::None);  // may come before the 200
  EXPECT_FALSE(sub.timerN());
  EXPECT_EQ(sub.state(), State::Pending);
  EXPECT_EQ(notify("active;expires=3599"), Action::None);
  EXPECT_EQ(sub.state(), State::Active);
}

TEST_F(Subscriber, RefreshDeadlineFollowsTheGrantAndItsShortening) {
  subscribe();
  ASSERT_EQ(sub.onResponse(okWithExpires(200, "3600"), clock.now()), Action::None);
  EXPECT_EQ(sub.refreshAt(), clock.now() + 3480s);
  EXPECT_EQ(sub.expiresAt(), clock.now() + 3600s);
  clock.advance(10s);
  notify("active;expires=200");  // the notifier shortened it
  EXPECT_EQ(sub.refreshAt(), clock.now() + 100s);
  clock.advance(100s);
  EXPECT_EQ(sub.onTimer(clock.now()), Action::Refresh);
  EXPECT_FALSE(sub.refreshAt());  // not asked again while the refresh is in flight
  sub.onSubscribeSent(clock.now());
  EXPECT_FALSE(sub.timerN());  // refreshes do not run Timer N
  EXPECT_EQ(sub.onResponse(okWithExpires(200, "3600"), clock.now()), Action::None);
  EXPECT_EQ(sub.refreshAt(), clock.now() + 3480s);
}

TEST_F(Subscriber, TwoHundredTwoIsTreatedLikeTwoHundred) {
  subscribe();
  EXPECT_EQ(sub.onResponse(okWithExpires(202, "600"), clock.now()), Action::None);
  EXPECT_EQ(sub.refreshAt(), clock.now() + 480s);
}

TEST_F(Subscriber, GrantMissingFromTheTwoHundredMeansWhatWeAsked) {
  subscribe();
  EXPECT_EQ(sub.onResponse(okWithExpires(200, ""), clock.now()), Action::None);
  EXPECT_EQ(sub.expiresAt(), clock.now() + 3600s);
}

TEST_F(Subscriber, FailedRefreshKeepsTheSubscriptionUntilItExpires) {
  establish("600");
  clock.advance(480s);
  ASSERT_EQ(sub.onTimer(clock.now()), Action::Refresh);
  sub.onSubscribeSent(clock.now());
  EXPECT_EQ(sub.onResponse(okWithExpires(408, ""), clock.now()), Action::None);
  EXPECT_EQ(sub.state(), State::Active);
  clock.advance(120s);
  EXPECT_EQ(sub.onTimer(clock.now()), Action::Resubscribe);
  EXPECT_EQ(sub.reason(), TerminationReason::Timeout);
}

TEST_F(Subscriber, RefreshAnswered481MeansStartOver) {
  establish();
  sub.onSubscribeSent(clock.now());
  EXPECT_EQ(sub.onResponse(okWithExpires(481, ""), clock.now()), Action::Resubscribe);
  EXPECT_EQ(sub.state(), State::Terminated);
}

TEST_F(Subscriber, IntervalTooBriefRetriesWithMinExpires) {
  SubscriberSubscription shortOne(SubscriberConfig{30s, 60s, {}});
  shortOne.onSubscribeSent(clock.now());
  Message tooBrief = Message::response(423);
  tooBrief.add("Min-Expires", "1200");
  EXPECT_EQ(shortOne.onResponse(tooBrief, clock.now()), Action::Resubscribe);
  EXPECT_EQ(shortOne.requestedExpires(), 1200s);
  EXPECT_FALSE(shortOne.timerN());
}

TEST_F(Subscriber, InitialRefusalFinishes) {
  subscribe();
  EXPECT_EQ(sub.onResponse(okWithExpires(403, ""), clock.now()), Action::Finished);
  EXPECT_FALSE(sub.nextDeadline());
}

TEST_F(Subscriber, DeactivatedAndTimeoutResubscribeAtOnce) {
  establish();
  EXPECT_EQ(notify("terminated;reason=deactivated"), Action::Resubscribe);
  EXPECT_EQ(sub.reason(), TerminationReason::Deactivated);
  EXPECT_FALSE(sub.nextDeadline());

  SubscriberSubscription other;
  other.onSubscribeSent(clock.now());
  auto a = other.onNotify(notifyWith("terminated;reason=timeout"), clock.now());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, Action::Resubscribe);
}

TEST_F(Subscriber, ProbationWaitsForRetryAfter) {
  establish();
  EXPECT_EQ(notify("terminated;reason=probation;retry-after=30"), Action::None);
  EXPECT_EQ(sub.state(), State::Terminated);
  EXPECT_EQ(sub.retryAt(), clock.now() + 30s);
  clock.advance(29s);
  EXPECT_EQ(sub.onTimer(clock.now()), Action::None);
  clock.advance(1s);
  EXPECT_EQ(sub.onTimer(clock.now()), Action::Resubscribe);
  // The new SUBSCRIBE starts over with a fresh Timer N.
  sub.onSubscribeSent(clock.now());
  EXPECT_EQ(sub.state(), State::Subscribing);
  EXPECT_EQ(sub.timerN(), clock.now() + 32s);
}

TEST_F(Subscriber, GiveupWithoutRetryAfterUsesTheDefault) {
  establish();
  EXPECT_EQ(notify("terminated;reason=giveup"), Action::None);
  EXPECT_EQ(sub.retryAt(), clock.now() + 60s);
}

TEST_F(Subscriber, RejectedNoresourceInvariantGiveUp) {
  for (const char* reason : {"rejected", "noresource", "invariant"}) {
    SubscriberSubscription s;
    s.onSubscribeSent(clock.now());
    auto a = s.onNotify(notifyWith(std::string("terminated;reason=") + reason), clock.now());
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(*a, Action::Finished) << reason;
    EXPECT_FALSE(s.nextDeadline()) << reason;
  }
}

TEST_F(Subscriber, NoReasonMayResubscribe) {
  establish();
  EXPECT_EQ(notify("terminated"), Action::Resubscribe);
}

TEST_F(Subscriber, UnsubscribeFinishesOnTheFinalNotify) {
  establish();
  sub.unsubscribe();
  EXPECT_EQ(sub.requestedExpires(), 0s);
  sub.onSubscribeSent(clock.now());
  EXPECT_EQ(sub.onResponse(okWithExpires(200, "0"), clock.now()), Action::None);
  EXPECT_FALSE(sub.refreshAt());
  EXPECT_EQ(notify("terminated;reason=timeout"), Action::Finished);
}

TEST_F(Subscriber, NotifyWithoutStateIsAnError) {
  subscribe();
  EXPECT_FALSE(sub.onNotify(notifyWith(""), clock.now()).ok());
  EXPECT_FALSE(sub.onNotify(notifyWith("sleeping"), clock.now()).ok());
  EXPECT_EQ(sub.state(), State::Subscribing);
  EXPECT_TRUE(sub.timerN());
}

}  // namespace
}  // namespace impd::sip
