#pragma once
// The canonical availability spelled in RPID (RFC 4480), both ways. Reading a token is the
// presence codec's job (codec/presence/activity.h); this adds what is PIDF-specific: which
// token, <rpid:other> text and <rpid:user-input> to write for a state, and how several of
// them in one document combine into one state.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "codec/presence/availability.h"
#include "codec/presence/profile.h"

namespace impd::simple {

// How buildPidf() writes a state inside <dm:person>. RFC 4480 has no token for some of our
// states, so those are written as the nearest RFC token (what an RFC-only peer, and Lync,
// understands) plus an <rpid:other> naming the exact state for peers that know it.
struct RpidSpelling {
  std::string_view activity;  // an RFC 4480 token element, "" for none
  std::string_view other;     // text of <rpid:other>, "" for none
  bool idle = false;          // <rpid:user-input>idle</rpid:user-input>
};
RpidSpelling rpidSpellingFor(presence::Availability availability);

// One activity as read: an element's local name (<rpid:busy/>, "busy"), the text of a
// Microsoft-style <activity>busy</activity>, or the text of <rpid:other>.
struct ActivityToken {
  std::string text;
  bool other = false;  // came from <rpid:other>
};

// The state a list of activities (in document order) stands for, for a peer of system `from`:
// an <rpid:other> whose text names a state wins, since a sender writes one only to say more
// than the RFC tokens can; otherwise the first token that names one. Tokens compare without
// regard to ASCII case or surrounding white space; a token unknown to the activity table may
// also be a canonical name ("extended-away"). nullopt when none is known.
std::optional<presence::Availability> availabilityFromActivities(
    presence::System from, std::span<const ActivityToken> activities);

// Folds RPID user-input idle into a state read from activities: a person who is inactive and
// otherwise available (or says nothing) is available-idle; away and inactive is the rich
// client's idle. Other states keep what the activity says.
std::optional<presence::Availability> withUserInput(std::optional<presence::Availability> state,
                                                    bool idle);

}  // namespace impd::simple
