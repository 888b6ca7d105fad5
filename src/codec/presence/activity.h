#pragma once
// Two more vocabularies SIP peers use for availability, read as canonical states: RPID activity
// tokens (RFC 4480) with the tokens Lync and OCS put in their PIDF, and the availability numbers
// of Microsoft enhanced presence. Where a vocabulary and the seed's tables disagree about what a
// user should see, the tables win.
#include <cstdint>
#include <optional>
#include <string_view>

#include "codec/presence/availability.h"
#include "codec/presence/profile.h"

namespace impd::presence {

// The canonical state an activity token from a peer of system `from` stands for. The token is the
// element's local name (<rpid:on-the-phone/> is "on-the-phone"), matched exactly. nullopt for a
// token in neither list (e.g. <rpid:other>): the caller treats the person as available and keeps
// the note.
std::optional<Availability> availabilityFromActivity(System from, std::string_view token);

// A Microsoft enhanced-presence <availability> number. Every value has a state: below 3000 and
// from 18000 up are offline; Busy-Idle (7500-8999) is busy, since the model has no such state.
Availability availabilityFromLyncNumber(std::uint32_t availability);

}  // namespace impd::presence
