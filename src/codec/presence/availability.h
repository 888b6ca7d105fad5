#pragma once
// The canonical availability model. Every peer's vocabulary (XMPP <show>, RPID activities, Lync
// availability numbers, the states of Sametime and Webex) is translated to and from these values;
// nothing else inside impd speaks a peer's vocabulary.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace impd::presence {

enum class Availability : std::uint8_t {
  available,
  availableIdle,  // available but the user is inactive (Lync "Inactive")
  busy,
  doNotDisturb,
  beRightBack,
  away,
  extendedAway,
  idle,  // the rich client's "Idle"
  inAMeeting,
  offline,
};

inline constexpr std::size_t kAvailabilityCount = 10;

// The lower-case hyphenated name: "available", "available-idle", "do-not-disturb", ...
std::string_view availabilityName(Availability availability);

// The inverse of availabilityName(); exact, case-sensitive match. nullopt for anything else.
std::optional<Availability> parseAvailability(std::string_view name);

// A state plus the free status text the user (or a mapping table) attached to it.
struct PresenceState {
  Availability availability = Availability::offline;
  std::string status;

  bool operator==(const PresenceState&) const = default;
};

}  // namespace impd::presence
