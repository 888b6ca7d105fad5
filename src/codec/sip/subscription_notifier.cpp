// Notifier-side subscription state (RFC 6665 §4.2).
#include "codec/sip/subscription_notifier.h"

#include <algorithm>

namespace impd::sip {

ExpiresDecision decideExpires(std::optional<std::uint32_t> requested, const ExpiryPolicy& policy) {
  if (!requested) return {false, std::min(policy.defaultExpires, policy.maxExpires)};
  const std::chrono::seconds asked{*requested};
  if (asked.count() == 0) return {false, asked};
  if (asked < policy.minExpires) return {true, std::chrono::seconds{0}};
  return {false, std::min(asked, policy.maxExpires)};
}

Result<ExpiresDecision> NotifierSubscription::onSubscribe(std::optional<std::uint32_t> requested,
                                                          TimePoint now) {
  if (state_ == SubscriptionState::Terminated) {
    return makeError("no-subscription", "subscription already terminated");
  }
  const ExpiresDecision decision = decideExpires(requested, policy_);
  if (decision.tooBrief) return decision;
  if (decision.granted.count() == 0) {
    // RFC 6665 §4.2.1.4: one last NOTIFY, with the state as terminated.
    terminate(TerminationReason::Timeout);
  } else {
    expiresAt_ = now + decision.granted;
  }
  return decision;
}

void NotifierSubscription::activate() {
  if (state_ == SubscriptionState::Pending) state_ = SubscriptionState::Active;
}

void NotifierSubscription::terminate(TerminationReason reason,
                                     std::optional<std::chrono::seconds> retryAfter) {
  if (state_ == SubscriptionState::Terminated) return;  // the first reason stands
  state_ = SubscriptionState::Terminated;
  reason_ = reason;
  retryAfter_ = retryAfter;
  expiresAt_.reset();
}

bool NotifierSubscription::onTimer(TimePoint now) {
  if (state_ == SubscriptionState::Terminated || !expiresAt_ || now < *expiresAt_) return false;
  terminate(TerminationReason::Timeout);
  return true;
}

SubscriptionStateValue NotifierSubscription::subscriptionState(TimePoint now) const {
  SubscriptionStateValue value;
  value.state = state_;
  if (state_ == SubscriptionState::Terminated) {
    value.reason = reason_;
    if (retryAfter_) value.retryAfter = static_cast<std::uint32_t>(retryAfter_->count());
    return value;
  }
  if (expiresAt_) {
    const auto left = std::chrono::floor<std::chrono::seconds>(*expiresAt_ - now);
    value.expires = static_cast<std::uint32_t>(std::max<std::int64_t>(left.count(), 0));
  }
  return value;
}

std::string NotifierSubscription::subscriptionStateHeader(TimePoint now) const {
  return formatSubscriptionState(subscriptionState(now));
}

}  // namespace impd::sip
