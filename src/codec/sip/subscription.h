#pragma once
// RFC 6665 subscription vocabulary shared by both roles: the states, the termination reasons
// and the Subscription-State header value that carries them in every NOTIFY. The notifier
// side is in subscription_notifier.h, the subscriber side in subscription_subscriber.h.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/sip/message.h"

namespace impd::sip {

enum class SubscriptionState { Pending, Active, Terminated };

// RFC 6665 §4.1.3. Each one tells the subscriber whether and when it may subscribe again.
enum class TerminationReason {
  Deactivated,  // retry at once (e.g. the notifier moved)
  Probation,    // retry after retry-after
  Rejected,     // authorization refused: do not retry
  Timeout,      // not refreshed in time: may retry
  Giveup,       // the notifier could not get authorization in time: retry after retry-after
  Noresource,   // the resource is gone: do not retry
  Invariant,    // the resource state will never change: do not retry
};

std::string_view toString(SubscriptionState state);
std::string_view toString(TerminationReason reason);

// A parsed or to-be-written Subscription-State value, e.g. "active;expires=3599" or
// "terminated;reason=probation;retry-after=30".
struct SubscriptionStateValue {
  SubscriptionState state = SubscriptionState::Pending;
  // Terminated only. nullopt when absent or not one of the RFC's reasons: both mean "may
  // re-subscribe at any time" (RFC 6665 §4.1.3).
  std::optional<TerminationReason> reason;
  std::optional<std::uint32_t> expires;
  std::optional<std::uint32_t> retryAfter;

  friend bool operator==(const SubscriptionStateValue&, const SubscriptionStateValue&) = default;
};

// Errors ("bad-request") on an unknown substate or a malformed parameter.
Result<SubscriptionStateValue> parseSubscriptionState(std::string_view value);
std::string formatSubscriptionState(const SubscriptionStateValue& value);

// A delta-seconds header (Expires, Min-Expires, Retry-After; RFC 3261 §20). Retry-After may
// carry a comment and parameters after the number; they are ignored. nullopt when the header
// is absent or does not start with a number.
std::optional<std::uint32_t> deltaSeconds(const Message& message, std::string_view header);

}  // namespace impd::sip
