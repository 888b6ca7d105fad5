#include "codec/simple/rpid.h"

#include <array>

#include "codec/presence/activity.h"
#include "codec/simple/text.h"

namespace impd::simple {
namespace {

using A = presence::Availability;

struct SpellingRow {
  A availability;
  RpidSpelling spelling;
};

// clang-format off
// Every state has a row (checked below), and each spelling reads back as its own state through
// availabilityFromActivities() + withUserInput() for a generic peer: the unit tests round-trip
// all of them. Available and offline need no activity: basic open/closed says it.
constexpr std::array kSpellings{
    SpellingRow{A::available,     {"", "", false}},
    SpellingRow{A::availableIdle, {"", "", true}},
    SpellingRow{A::busy,          {"busy", "", false}},
    SpellingRow{A::doNotDisturb,  {"busy", "do-not-disturb", false}},
    SpellingRow{A::beRightBack,   {"away", "be-right-back", false}},
    SpellingRow{A::away,          {"away", "", false}},
    SpellingRow{A::extendedAway,  {"away", "extended-away", false}},
    SpellingRow{A::idle,          {"away", "", true}},
    SpellingRow{A::inAMeeting,    {"meeting", "", false}},
    SpellingRow{A::offline,       {"", "", false}},
};
// clang-format on

constexpr bool everyStateSpelled() {
  if (kSpellings.size() != presence::kAvailabilityCount) return false;
  for (std::size_t i = 0; i < kSpellings.size(); ++i) {
    if (static_cast<std::size_t>(kSpellings[i].availability) != i) return false;
  }
  return true;
}
static_assert(everyStateSpelled(), "kSpellings needs one row per Availability, in enum order");

std::optional<A> lookup(presence::System from, std::string_view text) {
  std::string token = detail::asciiLower(detail::trim(text));
  if (token.empty()) return std::nullopt;
  if (auto state = presence::availabilityFromActivity(from, token)) return state;
  return presence::parseAvailability(token);
}

}  // namespace

RpidSpelling rpidSpellingFor(presence::Availability availability) {
  return kSpellings[static_cast<std::size_t>(availability)].spelling;
}

std::optional<presence::Availability> availabilityFromActivities(
    presence::System from, std::span<const ActivityToken> activities) {
  for (const auto& activity : activities) {
    if (!activity.other) continue;
    if (auto state = lookup(from, activity.text)) return state;
  }
  for (const auto& activity : activities) {
    if (activity.other) continue;
    if (auto state = lookup(from, activity.text)) return state;
  }
  return std::nullopt;
}

std::optional<presence::Availability> withUserInput(std::optional<presence::Availability> state,
                                                    bool idle) {
  if (!idle) return state;
  if (!state || *state == A::available) return A::availableIdle;
  if (*state == A::away) return A::idle;
  return state;
}

}  // namespace impd::simple
