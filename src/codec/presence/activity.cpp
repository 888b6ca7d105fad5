#include "codec/presence/activity.h"

#include <array>
#include <limits>

namespace impd::presence {
namespace {

using A = Availability;

struct Activity {
  System from;  // generic: any peer, unless a row for the peer's own system says otherwise
  std::string_view token;
  Availability availability;
};

// clang-format off
constexpr std::array kActivities{
    // RFC 4480 section 3.2. An activity says what the person is doing; the state is whether
    // they can be reached while doing it.
    Activity{System::generic, "appointment", A::busy},
    Activity{System::generic, "away", A::away},
    Activity{System::generic, "breakfast", A::away},
    Activity{System::generic, "busy", A::busy},
    Activity{System::generic, "dinner", A::away},
    Activity{System::generic, "holiday", A::extendedAway},
    Activity{System::generic, "in-transit", A::away},
    Activity{System::generic, "looking-for-work", A::available},
    Activity{System::generic, "meal", A::away},
    Activity{System::generic, "meeting", A::inAMeeting},
    Activity{System::generic, "on-the-phone", A::busy},
    Activity{System::generic, "performance", A::doNotDisturb},
    Activity{System::generic, "permanent-absence", A::extendedAway},
    Activity{System::generic, "playing", A::away},
    Activity{System::generic, "presentation", A::doNotDisturb},
    Activity{System::generic, "shopping", A::away},
    Activity{System::generic, "sleeping", A::extendedAway},
    Activity{System::generic, "spectator", A::away},
    Activity{System::generic, "steering", A::busy},
    Activity{System::generic, "travel", A::away},
    Activity{System::generic, "tv", A::away},
    Activity{System::generic, "unknown", A::available},
    Activity{System::generic, "vacation", A::extendedAway},
    Activity{System::generic, "working", A::available},
    Activity{System::generic, "worship", A::away},
    // The tokens Lync and OCS use (as pidgin-sipe reads them); harmless from anyone else.
    Activity{System::generic, "available", A::available},
    Activity{System::generic, "online", A::available},
    Activity{System::generic, "idle", A::availableIdle},
    Activity{System::generic, "busyidle", A::busy},
    Activity{System::generic, "do-not-disturb", A::doNotDisturb},
    Activity{System::generic, "be-right-back", A::beRightBack},
    Activity{System::generic, "out-to-lunch", A::away},
    Activity{System::generic, "invisible", A::offline},
    Activity{System::generic, "offline", A::offline},
    Activity{System::generic, "in-a-conference", A::busy},
    Activity{System::generic, "in-a-meeting", A::inAMeeting},
    Activity{System::generic, "out-of-office", A::away},
    Activity{System::generic, "urgent-interruptions-only", A::doNotDisturb},
    Activity{System::generic, "in-presentation", A::doNotDisturb},
    // Lync and OCS count a meeting as Busy, and the seed's tables 1 and 4 give them no meeting
    // state: their users in a meeting are seen as Busy.
    Activity{System::lync, "meeting", A::busy},
    Activity{System::lync, "in-a-meeting", A::busy},
    Activity{System::ocs, "meeting", A::busy},
    Activity{System::ocs, "in-a-meeting", A::busy},
};
// clang-format on

struct NumberRange {
  std::uint32_t first;
  std::uint32_t last;
  Availability availability;
};

// Enhanced presence ranges (Lync 2010/2013 and OCS 2007 schemas).
constexpr std::array kLyncNumbers{
    NumberRange{0, 2999, A::offline},  // none or unknown; Lync clients show such contacts offline
    NumberRange{3000, 4499, A::available},
    NumberRange{4500, 5999, A::availableIdle},
    NumberRange{6000, 7499, A::busy},
    NumberRange{7500, 8999, A::busy},  // Busy-Idle
    NumberRange{9000, 11999, A::doNotDisturb},
    NumberRange{12000, 14999, A::beRightBack},
    NumberRange{15000, 17999, A::away},
    NumberRange{18000, std::numeric_limits<std::uint32_t>::max(), A::offline},
};

constexpr bool rangesCoverEveryNumber() {
  if (kLyncNumbers.front().first != 0) return false;
  for (std::size_t i = 1; i < kLyncNumbers.size(); ++i) {
    if (kLyncNumbers[i].first != kLyncNumbers[i - 1].last + 1) return false;
  }
  return kLyncNumbers.back().last == std::numeric_limits<std::uint32_t>::max();
}
static_assert(rangesCoverEveryNumber(), "kLyncNumbers must cover 0..UINT32_MAX without gaps");

}  // namespace

std::optional<Availability> availabilityFromActivity(System from, std::string_view token) {
  std::optional<Availability> found;
  for (const auto& activity : kActivities) {
    if (activity.token != token) continue;
    if (activity.from == from) return activity.availability;
    if (activity.from == System::generic) found = activity.availability;
  }
  return found;
}

Availability availabilityFromLyncNumber(std::uint32_t availability) {
  for (const auto& range : kLyncNumbers) {
    if (availability >= range.first && availability <= range.last) return range.availability;
  }
  return A::offline;  // unreachable: the ranges cover every number
}

}  // namespace impd::presence
