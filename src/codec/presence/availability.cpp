#include "codec/presence/availability.h"

#include <array>
#include <cassert>

namespace impd::presence {
namespace {

struct Named {
  Availability availability;
  std::string_view name;
};

constexpr std::array<Named, kAvailabilityCount> kNames{{
    {Availability::available, "available"},
    {Availability::availableIdle, "available-idle"},
    {Availability::busy, "busy"},
    {Availability::doNotDisturb, "do-not-disturb"},
    {Availability::beRightBack, "be-right-back"},
    {Availability::away, "away"},
    {Availability::extendedAway, "extended-away"},
    {Availability::idle, "idle"},
    {Availability::inAMeeting, "in-a-meeting"},
    {Availability::offline, "offline"},
}};

constexpr bool namesFollowTheEnum() {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (static_cast<std::size_t>(kNames[i].availability) != i) return false;
  }
  return static_cast<std::size_t>(Availability::offline) + 1 == kAvailabilityCount;
}
static_assert(namesFollowTheEnum(), "kNames must list every Availability in enum order");

}  // namespace

std::string_view availabilityName(Availability availability) {
  const auto index = static_cast<std::size_t>(availability);
  assert(index < kNames.size());
  return kNames[index].name;
}

std::optional<Availability> parseAvailability(std::string_view name) {
  for (const auto& entry : kNames) {
    if (entry.name == name) return entry.availability;
  }
  return std::nullopt;
}

}  // namespace impd::presence
