#pragma once
// The subscriber's view of one RFC 6665 subscription: Timer N while waiting for the first
// NOTIFY, the refresh deadline derived from the granted expiry, and what to do when the
// notifier ends the subscription. The TU sends the SUBSCRIBEs this asks for.
#include <chrono>
#include <cstdint>
#include <optional>

#include "base/result.h"
#include "codec/sip/message.h"
#include "codec/sip/subscription.h"
#include "codec/sip/timers.h"

namespace impd::sip {

// What the TU should do next.
enum class SubscriberAction {
  None,
  Refresh,      // send an in-dialog SUBSCRIBE with Expires: requestedExpires()
  Resubscribe,  // start over: a new SUBSCRIBE outside any dialog
  Finished,     // the subscription is over for good; do not retry
};

struct SubscriberConfig {
  std::chrono::seconds requestedExpires{3600};
  // "Retry later" for probation and giveup when the NOTIFY names no retry-after.
  std::chrono::seconds defaultRetryAfter{60};
  TimerConfig timers;  // Timer N = 64*T1
};

// The refresh moment for a grant of `granted` received at `now`.
TimePoint refreshDeadline(TimePoint now, std::chrono::seconds granted);

class SubscriberSubscription {
 public:
  enum class State { Subscribing, Pending, Active, Terminated };

  explicit SubscriberSubscription(SubscriberConfig config = {});

  // The TU sent a SUBSCRIBE (initial, refresh, or Expires: 0 after unsubscribe()). The
  // initial one starts Timer N; sending one after termination starts over.
  void onSubscribeSent(TimePoint now);
  // The final response to that SUBSCRIBE. 202 counts as 200 (RFC 6665 §8.3.1: deprecated,
  // but RFC 3265-era notifiers still send it).
  SubscriberAction onResponse(const Message& response, TimePoint now);
  // A NOTIFY in this subscription. Errors ("bad-request") when its Subscription-State is
  // missing or malformed; the TU answers 400 and nothing changes.
  Result<SubscriberAction> onNotify(const Message& notify, TimePoint now);
  // Next time onTimer() has something to do.
  std::optional<TimePoint> nextDeadline() const;
  SubscriberAction onTimer(TimePoint now);
  // We want out: the next SUBSCRIBE asks for Expires: 0 and its final NOTIFY finishes.
  void unsubscribe();

  State state() const { return state_; }
  std::optional<TerminationReason> reason() const { return reason_; }
  std::chrono::seconds requestedExpires() const { return requested_; }
  std::optional<TimePoint> refreshAt() const { return refreshAt_; }
  std::optional<TimePoint> expiresAt() const { return expiresAt_; }
  std::optional<TimePoint> retryAt() const { return retryAt_; }
  std::optional<TimePoint> timerN() const { return timerN_; }

 private:
  void grant(std::chrono::seconds granted, TimePoint now);
  SubscriberAction end(std::optional<TerminationReason> reason, SubscriberAction action);
  SubscriberAction onTerminated(const SubscriptionStateValue& value, TimePoint now);

  SubscriberConfig config_;
  std::chrono::seconds requested_;
  State state_ = State::Subscribing;
  std::optional<TerminationReason> reason_;
  bool established_ = false;    // a 2xx or a NOTIFY created the dialog
  bool refreshing_ = false;     // the SUBSCRIBE in flight is a refresh
  bool unsubscribing_ = false;  // the SUBSCRIBE in flight asks for Expires: 0
  std::optional<TimePoint> timerN_;
  std::optional<TimePoint> refreshAt_;
  std::optional<TimePoint> expiresAt_;
  std::optional<TimePoint> retryAt_;
};

}  // namespace impd::sip
