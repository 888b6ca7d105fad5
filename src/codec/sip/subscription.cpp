// Subscription-State values (RFC 6665 §4.1.3, §8.2.3) and delta-seconds headers.
#include "codec/sip/subscription.h"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

#include "codec/sip/grammar.h"
#include "codec/sip/headers.h"
#include "codec/sip/params.h"

namespace impd::sip {
namespace {

constexpr std::array<std::pair<TerminationReason, std::string_view>, 7> kReasons{{
    {TerminationReason::Deactivated, "deactivated"},
    {TerminationReason::Probation, "probation"},
    {TerminationReason::Rejected, "rejected"},
    {TerminationReason::Timeout, "timeout"},
    {TerminationReason::Giveup, "giveup"},
    {TerminationReason::Noresource, "noresource"},
    {TerminationReason::Invariant, "invariant"},
}};

// Leading decimal digits of `text`; values beyond 32 bits saturate (RFC 3261 §20.19 asks
// that large Expires values be treated as 2**32-1).
std::optional<std::uint32_t> leadingNumber(std::string_view text) {
  std::size_t end = 0;
  while (end < text.size() && grammar::isDigit(text[end])) ++end;
  if (end == 0) return std::nullopt;
  std::uint64_t n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + end, n);
  if (ec == std::errc::result_out_of_range || n > std::numeric_limits<std::uint32_t>::max()) {
    return std::numeric_limits<std::uint32_t>::max();
  }
  return static_cast<std::uint32_t>(n);
}

Result<std::optional<std::uint32_t>> numericParam(const Params& params, std::string_view name) {
  const auto value = params.get(name);
  if (!value) return std::optional<std::uint32_t>{};
  if (value->empty() || value->find_first_not_of("0123456789") != std::string_view::npos) {
    return makeError("bad-request", "Subscription-State " + std::string(name) + " not a number");
  }
  return leadingNumber(*value);
}

}  // namespace

std::string_view toString(SubscriptionState state) {
  switch (state) {
    case SubscriptionState::Pending:
      return "pending";
    case SubscriptionState::Active:
      return "active";
    case SubscriptionState::Terminated:
      return "terminated";
  }
  return "?";
}

std::string_view toString(TerminationReason reason) {
  for (const auto& [r, name] : kReasons) {
    if (r == reason) return name;
  }
  return "?";
}

Result<SubscriptionStateValue> parseSubscriptionState(std::string_view value) {
  auto parsed = ParamValue::parse(value);
  if (!parsed) return parsed.error();
  const std::string& substate = parsed->value();
  SubscriptionStateValue out;
  if (grammar::iequals(substate, "active")) {
    out.state = SubscriptionState::Active;
  } else if (grammar::iequals(substate, "pending")) {
    out.state = SubscriptionState::Pending;
  } else if (grammar::iequals(substate, "terminated")) {
    out.state = SubscriptionState::Terminated;
  } else {
    return makeError("bad-request", "unknown Subscription-State '" + substate + "'");
  }
  const Params& params = parsed->params();
  if (const auto reason = params.get("reason")) {
    for (const auto& [r, name] : kReasons) {
      if (grammar::iequals(*reason, name)) out.reason = r;
    }
  }
  auto expires = numericParam(params, "expires");
  if (!expires) return expires.error();
  out.expires = *expires;
  auto retryAfter = numericParam(params, "retry-after");
  if (!retryAfter) return retryAfter.error();
  out.retryAfter = *retryAfter;
  return out;
}

std::string formatSubscriptionState(const SubscriptionStateValue& value) {
  std::string out(toString(value.state));
  if (value.state == SubscriptionState::Terminated && value.reason) {
    out += ";reason=";
    out += toString(*value.reason);
  }
  if (value.expires) out += ";expires=" + std::to_string(*value.expires);
  if (value.retryAfter) out += ";retry-after=" + std::to_string(*value.retryAfter);
  return out;
}

std::optional<std::uint32_t> deltaSeconds(const Message& message, std::string_view header) {
  const auto value = message.get(header);
  if (!value) return std::nullopt;
  return leadingNumber(grammar::trim(*value));
}

}  // namespace impd::sip
