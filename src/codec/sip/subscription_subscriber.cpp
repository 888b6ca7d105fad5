// Subscriber-side subscription state (RFC 6665 §4.1).
#include "codec/sip/subscription_subscriber.h"

#include <algorithm>

namespace impd::sip {

using std::chrono::seconds;

TimePoint refreshDeadline(TimePoint now, seconds granted) {
  // Long grants refresh 120 s before expiry: room for a whole Timer F (32 s) of UDP
  // retransmissions plus a 401/423 round trip and the re-sent SUBSCRIBE, while refreshing as
  // rarely as the notifier allows. With 240 s or less that fixed margin would eat half the
  // interval or more, so short grants refresh halfway instead, keeping the same proportion.
  if (granted > seconds{240}) return now + (granted - seconds{120});
  return now + Duration(granted) / 2;
}

SubscriberSubscription::SubscriberSubscription(SubscriberConfig config)
    : config_(config), requested_(config.requestedExpires) {}

void SubscriberSubscription::onSubscribeSent(TimePoint now) {
  if (state_ == State::Terminated) {
    // Starting over: a new dialog, a new Timer N.
    state_ = State::Subscribing;
    reason_.reset();
    established_ = false;
    refreshAt_.reset();
    expiresAt_.reset();
  }
  retryAt_.reset();
  refreshing_ = established_;
  unsubscribing_ = requested_.count() == 0;
  if (!established_) timerN_ = now + config_.timers.timeout();
}

SubscriberAction SubscriberSubscription::onResponse(const Message& response, TimePoint now) {
  const int status = response.status();
  if (status < 200 || state_ == State::Terminated) return SubscriberAction::None;
  if (status < 300) {
    established_ = true;
    const auto granted = deltaSeconds(response, "Expires");
    grant(granted ? seconds{*granted} : requested_, now);
    return SubscriberAction::None;
  }
  if (unsubscribing_) return end(std::nullopt, SubscriberAction::Finished);
  if (status == 423) {
    if (const auto minimum = deltaSeconds(response, "Min-Expires")) {
      requested_ = std::max(requested_, seconds{*minimum});
      if (!refreshing_) timerN_.reset();  // the initial SUBSCRIBE failed; no NOTIFY will come
      return refreshing_ ? SubscriberAction::Refresh : SubscriberAction::Resubscribe;
    }
  }
  if (refreshing_) {
    // 481: the notifier has forgotten us. Any other failure leaves the subscription valid
    // until the last known expiry (RFC 6665 §4.1.2.2); onTimer() resubscribes then.
    if (status == 481) return end(std::nullopt, SubscriberAction::Resubscribe);
    return SubscriberAction::None;
  }
  // The initial SUBSCRIBE was refused (403, 404, 489 ...). Whether to try again later is
  // policy of the TU, which sees the response.
  return end(std::nullopt, SubscriberAction::Finished);
}

Result<SubscriberAction> SubscriberSubscription::onNotify(const Message& notify, TimePoint now) {
  const auto header = notify.get("Subscription-State");
  if (!header) return makeError("bad-request", "NOTIFY without Subscription-State");
  auto value = parseSubscriptionState(*header);
  if (!value) return value.error();
  if (state_ == State::Terminated) return SubscriberAction::None;  // late; the TU answers 481
  established_ = true;
  timerN_.reset();
  if (value->state == SubscriptionState::Terminated) return onTerminated(*value, now);
  state_ = value->state == SubscriptionState::Active ? State::Active : State::Pending;
  // The notifier may have shortened the grant since its 200 (RFC 6665 §4.2.2).
  if (value->expires && !unsubscribing_) grant(seconds{*value->expires}, now);
  return SubscriberAction::None;
}

SubscriberAction SubscriberSubscription::onTerminated(const SubscriptionStateValue& value,
                                                      TimePoint now) {
  if (unsubscribing_) return end(value.reason, SubscriberAction::Finished);
  if (!value.reason) return end(std::nullopt, SubscriberAction::Resubscribe);
  switch (*value.reason) {
    case TerminationReason::Deactivated:
    case TerminationReason::Timeout:
      return end(value.reason, SubscriberAction::Resubscribe);
    case TerminationReason::Probation:
    case TerminationReason::Giveup: {
      const auto action = end(value.reason, SubscriberAction::None);
      const seconds wait =
          value.retryAfter ? seconds{*value.retryAfter} : config_.defaultRetryAfter;
      retryAt_ = now + wait;
      return action;
    }
    case TerminationReason::Rejected:
    case TerminationReason::Noresource:
    case TerminationReason::Invariant:
      return end(value.reason, SubscriberAction::Finished);
  }
  return end(value.reason, SubscriberAction::Finished);
}

std::optional<TimePoint> SubscriberSubscription::nextDeadline() const {
  return earliest({timerN_, refreshAt_, expiresAt_, retryAt_});
}

SubscriberAction SubscriberSubscription::onTimer(TimePoint now) {
  const auto due = [now](const std::optional<TimePoint>& t) { return t && *t <= now; };
  if (due(timerN_)) {
    // RFC 6665 §4.1.2.4: no NOTIFY within 64*T1, the subscription failed. Retrying at once
    // would most likely fail the same way, so the TU decides.
    return end(std::nullopt, SubscriberAction::Finished);
  }
  if (due(retryAt_)) {
    retryAt_.reset();
    return SubscriberAction::Resubscribe;
  }
  if (due(expiresAt_)) {
    return end(TerminationReason::Timeout,
               unsubscribing_ ? SubscriberAction::Finished : SubscriberAction::Resubscribe);
  }
  if (due(refreshAt_)) {
    refreshAt_.reset();
    return SubscriberAction::Refresh;
  }
  return SubscriberAction::None;
}

void SubscriberSubscription::unsubscribe() {
  requested_ = seconds{0};
}

void SubscriberSubscription::grant(seconds granted, TimePoint now) {
  if (granted.count() == 0 || unsubscribing_) {
    refreshAt_.reset();
    expiresAt_.reset();
    return;
  }
  expiresAt_ = now + granted;
  refreshAt_ = refreshDeadline(now, granted);
}

SubscriberAction SubscriberSubscription::end(std::optional<TerminationReason> reason,
                                             SubscriberAction action) {
  state_ = State::Terminated;
  reason_ = reason;
  timerN_.reset();
  refreshAt_.reset();
  expiresAt_.reset();
  retryAt_.reset();
  return action;
}

}  // namespace impd::sip
