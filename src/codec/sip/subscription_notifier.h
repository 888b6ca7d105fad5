#pragma once
// The notifier's view of one RFC 6665 subscription: how long it was granted, whether it is
// pending (awaiting authorization), active or terminated, and the Subscription-State value
// each NOTIFY must carry. The TU sends the NOTIFYs; this only decides what they say and when
// the subscription runs out.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "codec/sip/subscription.h"
#include "codec/sip/timers.h"

namespace impd::sip {

struct ExpiryPolicy {
  // RFC 3856 §6.4: a presence SUBSCRIBE without Expires asks for one hour.
  std::chrono::seconds defaultExpires{3600};
  // Below this (and above zero) we answer 423 Interval Too Brief with Min-Expires.
  std::chrono::seconds minExpires{60};
  // Longer requests are shortened; Lync/OCS asks for up to 12 hours.
  std::chrono::seconds maxExpires{43200};
};

struct ExpiresDecision {
  bool tooBrief = false;            // answer 423 with Min-Expires: ExpiryPolicy::minExpires
  std::chrono::seconds granted{0};  // the 200's Expires; zero ends the subscription
};

// RFC 6665 §4.2.1.1: the notifier may shorten but never lengthen the requested duration.
// Zero is an unsubscribe or a one-shot fetch and is never too brief.
ExpiresDecision decideExpires(std::optional<std::uint32_t> requested, const ExpiryPolicy& policy);

class NotifierSubscription {
 public:
  explicit NotifierSubscription(ExpiryPolicy policy = {}) : policy_(policy) {}

  // An initial or refreshing SUBSCRIBE with its Expires value (nullopt when absent). When the
  // decision is tooBrief nothing changes. Otherwise the expiry is (re)set from `now`; a grant
  // of zero terminates the subscription with reason timeout, and the TU sends that final
  // NOTIFY. Errors ("no-subscription") when it already ended: the TU answers 481.
  Result<ExpiresDecision> onSubscribe(std::optional<std::uint32_t> requested, TimePoint now);

  // Authorization granted: pending -> active.
  void activate();
  // Ends the subscription; the TU sends a NOTIFY with subscriptionState().
  void terminate(TerminationReason reason,
                 std::optional<std::chrono::seconds> retryAfter = std::nullopt);

  SubscriptionState state() const { return state_; }
  std::optional<TerminationReason> reason() const { return reason_; }
  std::optional<TimePoint> nextDeadline() const { return expiresAt_; }
  // At the expiry deadline the subscription becomes terminated;reason=timeout. Returns true
  // when this call ended it, so the TU sends the final NOTIFY.
  bool onTimer(TimePoint now);

  // The value for the Subscription-State header of a NOTIFY sent at `now`; expires counts
  // whole seconds left, rounded down so we never promise time we will not honour.
  SubscriptionStateValue subscriptionState(TimePoint now) const;
  std::string subscriptionStateHeader(TimePoint now) const;

 private:
  ExpiryPolicy policy_;
  SubscriptionState state_ = SubscriptionState::Pending;
  std::optional<TerminationReason> reason_;
  std::optional<std::chrono::seconds> retryAfter_;
  std::optional<TimePoint> expiresAt_;
};

}  // namespace impd::sip
