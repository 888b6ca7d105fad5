#pragma once
// What a standard XMPP client shows and sends: a <show> value and a <status> text (RFC 6121
// section 4.7.2). It has no Busy or Idle of its own, so the tables spell those with status text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "codec/presence/availability.h"
#include "codec/presence/profile.h"

namespace impd::presence {

enum class Show : std::uint8_t { none, away, chat, dnd, xa };  // none: no <show> element

// "away", "chat", "dnd", "xa"; "" for none.
std::string_view showName(Show show);
// One of RFC 6121's four values, exactly; nullopt for anything else (including "").
std::optional<Show> parseShow(std::string_view name);

struct XmppShow {
  Show show = Show::none;
  std::string status;

  bool operator==(const XmppShow&) const = default;
};

// The canonical state a <show> value stands for by itself (no <show> and chat are available).
Availability availabilityOfShow(Show show);

// What a standard XMPP client on this server sees for a contact of system `from` in `state`,
// whose own status text is `peerStatus`; nullopt when the contact is offline (the client gets
// <presence type='unavailable'/>). A cell of the tables decides where there is one; otherwise the
// state is shown as it is. Status text: the cell's fixed text, else the text the <show> needs to
// carry the state (away + "Busy", away + "Idle", available + "In a meeting"), else `peerStatus`.
std::optional<XmppShow> xmppShowFor(System from, Availability state,
                                    std::string_view peerStatus = {});

// The canonical state of an available presence from a standard client on this server (tables 3,
// 6 and 10 read it): no <show> or chat is available, away with status "Idle" is idle. The status
// text is kept as sent. An unavailable presence is offline and needs no call.
PresenceState fromXmppShow(const XmppShow& presence);

}  // namespace impd::presence
