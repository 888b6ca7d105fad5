#pragma once
// Peer systems and the seed's availability tables 1-10 ("Availability State Mappings"), kept as
// data: one row per cell in mapping_table.h. A row says what a user of `to` sees when a user of
// `from` is in a given canonical state.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "codec/presence/availability.h"

namespace impd::presence {

// The systems the tables name, spelled as in design/availability-tables.csv, plus `generic`.
enum class System : std::uint8_t {
  ocs,                  // "ocs": Microsoft Office Communications Server, over SIP
  lync,                 // "lync": Lync / Skype for Business, over SIP
  xmppClient,           // "xmpp-client": a standard XMPP client signed in to this server
  richClient,           // "rich-client": a client that sees the full canonical state
  sametime,             // "sametime": IBM Sametime, over XMPP s2s
  webex,                // "webex": Webex Connect / Messenger, over XMPP s2s
  federatedRichClient,  // "federated rich-client": a rich client on another impd deployment
  federatedXmppClient,  // "federated xmpp-client": a standard client on another impd deployment
  generic,              // "generic": a standards-only XMPP or SIMPLE peer; no table, identity
};

inline constexpr std::size_t kSystemCount = 9;

std::string_view systemName(System system);
// The inverse of systemName(); exact match. nullopt for anything else.
std::optional<System> parseSystem(std::string_view name);

// One cell of the seed's tables. The source state is canonical; the target state is what the
// target sees, in the target's terms (a standard XMPP client sees Lync's Busy as away + "Busy").
struct MappingRow {
  std::uint8_t table;  // 1..10, the seed's table number
  System from;
  Availability fromState;
  System to;
  Availability toState;
  std::string_view toStatus;  // status text the table fixes; empty if it fixes none
  bool peerStatus;            // the table shows the source user's own status message
};

// A cell as looked up. `status`, when not empty, replaces the source user's own status text
// (Lync's Busy reaches a standard client as away + "Busy" whatever note the Lync user set); when
// empty the user's own text, if any, is shown. `peerStatus` records that the seed asks for the
// user's own message explicitly (table 7's rich client, and every identity mapping).
struct Mapped {
  Availability state;
  std::string_view status;
  bool peerStatus;
  std::uint8_t table;  // the seed table that decided; 0 for an identity mapping
};

// What a user of `to` sees for a user of `from` in `state`. Identity when either side is
// `generic` or both are the same system; otherwise only the tables' cells are defined and every
// other combination is nullopt (the caller chooses a fallback).
std::optional<Mapped> mapAvailability(System from, Availability state, System to);

// Reads a state as a peer shows it (a state plus its status text) as a canonical one: Sametime's
// "available" with status "In a meeting" is inAMeeting, a standard client's "away" with status
// "Idle" is idle (tables 7, 8, 10). The status text compares without regard to ASCII case or
// surrounding white space. Anything the tables do not single out is `shown` itself.
Availability canonicalFromPeer(System from, Availability shown, std::string_view status);

// Every cell of tables 1-10, in the seed's order.
std::span<const MappingRow> mappingRows();

}  // namespace impd::presence
