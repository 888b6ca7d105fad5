// RFC 6121 Appendix A, every row of both tables, written out from the RFC text so that a typo
// in subscription.cpp's data cannot hide behind the same typo here.
#include "im/subscription.h"

#include <gtest/gtest.h>

#include <string>

namespace impd::im {
namespace {

using S = SubState;
using T = SubType;
using A = InboundAction;

std::string name(S s) {
  static const char* kNames[] = {"None",  "None+PO", "None+PI", "None+PO+PI", "To",
                                 "To+PI", "From",    "From+PO", "Both"};
  return kNames[static_cast<int>(s)];
}

struct OutCase {
  S from;
  T type;
  bool route;
  S to;
};

// §A.2.1 subscribe, §A.2.2 unsubscribe, §A.2.3 subscribed, §A.2.4 unsubscribed.
const OutCase kOutbound[] = {
    {S::kNone, T::kSubscribe, true, S::kNonePO},
    {S::kNonePO, T::kSubscribe, true, S::kNonePO},
    {S::kNonePI, T::kSubscribe, true, S::kNonePOPI},
    {S::kNonePOPI, T::kSubscribe, true, S::kNonePOPI},
    {S::kTo, T::kSubscribe, true, S::kTo},
    {S::kToPI, T::kSubscribe, true, S::kToPI},
    {S::kFrom, T::kSubscribe, true, S::kFromPO},
    {S::kFromPO, T::kSubscribe, true, S::kFromPO},
    {S::kBoth, T::kSubscribe, true, S::kBoth},

    {S::kNone, T::kUnsubscribe, true, S::kNone},
    {S::kNonePO, T::kUnsubscribe, true, S::kNone},
    {S::kNonePI, T::kUnsubscribe, true, S::kNonePI},
    {S::kNonePOPI, T::kUnsubscribe, true, S::kNonePI},
    {S::kTo, T::kUnsubscribe, true, S::kNone},
    {S::kToPI, T::kUnsubscribe, true, S::kNonePI},
    {S::kFrom, T::kUnsubscribe, true, S::kFrom},
    {S::kFromPO, T::kUnsubscribe, true, S::kFrom},
    {S::kBoth, T::kUnsubscribe, true, S::kFrom},

    {S::kNone, T::kSubscribed, false, S::kNone},
    {S::kNonePO, T::kSubscribed, false, S::kNonePO},
    {S::kNonePI, T::kSubscribed, true, S::kFrom},
    {S::kNonePOPI, T::kSubscribed, true, S::kFromPO},
    {S::kTo, T::kSubscribed, false, S::kTo},
    {S::kToPI, T::kSubscribed, true, S::kBoth},
    {S::kFrom, T::kSubscribed, false, S::kFrom},
    {S::kFromPO, T::kSubscribed, false, S::kFromPO},
    {S::kBoth, T::kSubscribed, false, S::kBoth},

    {S::kNone, T::kUnsubscribed, false, S::kNone},
    {S::kNonePO, T::kUnsubscribed, false, S::kNonePO},
    {S::kNonePI, T::kUnsubscribed, true, S::kNone},
    {S::kNonePOPI, T::kUnsubscribed, true, S::kNonePO},
    {S::kTo, T::kUnsubscribed, false, S::kTo},
    {S::kToPI, T::kUnsubscribed, true, S::kTo},
    {S::kFrom, T::kUnsubscribed, true, S::kNone},
    {S::kFromPO, T::kUnsubscribed, true, S::kNonePO},
    {S::kBoth, T::kUnsubscribed, true, S::kTo},
};

class OutboundTable : public ::testing::TestWithParam<OutCase> {};

TEST_P(OutboundTable, MatchesRfc6121AppendixA2) {
  const OutCase& c = GetParam();
  OutboundStep step = onOutbound(c.from, c.type);
  EXPECT_EQ(step.route, c.route) << name(c.from) << " " << subTypeName(c.type);
  EXPECT_EQ(name(step.next), name(c.to)) << name(c.from) << " " << subTypeName(c.type);
}

INSTANTIATE_TEST_SUITE_P(AllRows, OutboundTable, ::testing::ValuesIn(kOutbound));

struct InCase {
  S from;
  T type;
  A action;
  S to;
};

// §A.3.1 subscribe, §A.3.2 unsubscribe, §A.3.3 subscribed, §A.3.4 unsubscribed.
const InCase kInbound[] = {
    {S::kNone, T::kSubscribe, A::kDeliver, S::kNonePI},
    {S::kNonePO, T::kSubscribe, A::kDeliver, S::kNonePOPI},
    {S::kNonePI, T::kSubscribe, A::kDrop, S::kNonePI},
    {S::kNonePOPI, T::kSubscribe, A::kDrop, S::kNonePOPI},
    {S::kTo, T::kSubscribe, A::kDeliver, S::kToPI},
    {S::kToPI, T::kSubscribe, A::kDrop, S::kToPI},
    {S::kFrom, T::kSubscribe, A::kReplySubscribed, S::kFrom},
    {S::kFromPO, T::kSubscribe, A::kReplySubscribed, S::kFromPO},
    {S::kBoth, T::kSubscribe, A::kReplySubscribed, S::kBoth},

    {S::kNone, T::kUnsubscribe, A::kDrop, S::kNone},
    {S::kNonePO, T::kUnsubscribe, A::kDrop, S::kNonePO},
    {S::kNonePI, T::kUnsubscribe, A::kDeliver, S::kNone},
    {S::kNonePOPI, T::kUnsubscribe, A::kDeliver, S::kNonePO},
    {S::kTo, T::kUnsubscribe, A::kDrop, S::kTo},
    {S::kToPI, T::kUnsubscribe, A::kDeliver, S::kTo},
    {S::kFrom, T::kUnsubscribe, A::kDeliver, S::kNone},
    {S::kFromPO, T::kUnsubscribe, A::kDeliver, S::kNonePO},
    {S::kBoth, T::kUnsubscribe, A::kDeliver, S::kTo},

    {S::kNone, T::kSubscribed, A::kDrop, S::kNone},
    {S::kNonePO, T::kSubscribed, A::kDeliver, S::kTo},
    {S::kNonePI, T::kSubscribed, A::kDrop, S::kNonePI},
    {S::kNonePOPI, T::kSubscribed, A::kDeliver, S::kToPI},
    {S::kTo, T::kSubscribed, A::kDrop, S::kTo},
    {S::kToPI, T::kSubscribed, A::kDrop, S::kToPI},
    {S::kFrom, T::kSubscribed, A::kDrop, S::kFrom},
    {S::kFromPO, T::kSubscribed, A::kDeliver, S::kBoth},
    {S::kBoth, T::kSubscribed, A::kDrop, S::kBoth},

    {S::kNone, T::kUnsubscribed, A::kDrop, S::kNone},
    {S::kNonePO, T::kUnsubscribed, A::kDeliver, S::kNone},
    {S::kNonePI, T::kUnsubscribed, A::kDrop, S::kNonePI},
    {S::kNonePOPI, T::kUnsubscribed, A::kDeliver, S::kNonePI},
    {S::kTo, T::kUnsubscribed, A::kDeliver, S::kNone},
    {S::kToPI, T::kUnsubscribed, A::kDeliver, S::kNonePI},
    {S::kFrom, T::kUnsubscribed, A::kDrop, S::kFrom},
    {S::kFromPO, T::kUnsubscribed, A::kDeliver, S::kFrom},
    {S::kBoth, T::kUnsubscribed, A::kDeliver, S::kFrom},
};

class InboundTable : public ::testing::TestWithParam<InCase> {};

TEST_P(InboundTable, MatchesRfc6121AppendixA3) {
  const InCase& c = GetParam();
  InboundStep step = onInbound(c.from, c.type);
  EXPECT_EQ(static_cast<int>(step.action), static_cast<int>(c.action))
      << name(c.from) << " " << subTypeName(c.type);
  EXPECT_EQ(name(step.next), name(c.to)) << name(c.from) << " " << subTypeName(c.type);
}

INSTANTIATE_TEST_SUITE_P(AllRows, InboundTable, ::testing::ValuesIn(kInbound));

TEST(SubscriptionState, RoundTripsThroughRosterItem) {
  for (int i = 0; i <= static_cast<int>(S::kBoth); ++i) {
    storage::RosterItem item;
    applyState(item, static_cast<S>(i));
    EXPECT_EQ(name(stateOf(item)), name(static_cast<S>(i)));
  }
}

TEST(SubscriptionState, StrayFlagFallsBackToSubscription) {
  storage::RosterItem item;
  item.subscription = storage::Subscription::kBoth;
  item.pendingIn = true;  // Both has no pending state
  EXPECT_EQ(name(stateOf(item)), "Both");
}

TEST(SubscriptionState, ParsesTypeNames) {
  for (T t : {T::kSubscribe, T::kSubscribed, T::kUnsubscribe, T::kUnsubscribed}) {
    EXPECT_EQ(parseSubType(subTypeName(t)), t);
  }
  EXPECT_FALSE(parseSubType("probe"));
  EXPECT_FALSE(parseSubType(""));
}

}  // namespace
}  // namespace impd::im
