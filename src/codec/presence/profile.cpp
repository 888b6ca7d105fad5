#include "codec/presence/profile.h"

#include <array>
#include <cassert>

#include "codec/presence/mapping_table.h"

namespace impd::presence {
namespace {

struct NamedSystem {
  System system;
  std::string_view name;
};

constexpr std::array<NamedSystem, kSystemCount> kSystemNames{{
    {System::ocs, "ocs"},
    {System::lync, "lync"},
    {System::xmppClient, "xmpp-client"},
    {System::richClient, "rich-client"},
    {System::sametime, "sametime"},
    {System::webex, "webex"},
    {System::federatedRichClient, "federated rich-client"},
    {System::federatedXmppClient, "federated xmpp-client"},
    {System::generic, "generic"},
}};

// A state that a peer expresses as another state plus a status text (tables 7, 8 and 10).
struct PeerSpelling {
  System system;
  Availability shown;
  std::string_view status;
  Availability canonical;
};

constexpr std::array<PeerSpelling, 3> kPeerSpellings{{
    {System::sametime, Availability::available, "In a meeting", Availability::inAMeeting},
    {System::webex, Availability::away, "In a meeting", Availability::inAMeeting},
    {System::xmppClient, Availability::away, "Idle", Availability::idle},
}};

constexpr bool systemNamesFollowTheEnum() {
  for (std::size_t i = 0; i < kSystemNames.size(); ++i) {
    if (static_cast<std::size_t>(kSystemNames[i].system) != i) return false;
  }
  return static_cast<std::size_t>(System::generic) + 1 == kSystemCount;
}
static_assert(systemNamesFollowTheEnum(), "kSystemNames must list every System in enum order");

// Each (from, state, to) has at most one cell, and no cell maps a system to itself or names
// `generic`: those are the identity cases of mapAvailability().
constexpr bool rowsAreWellFormed() {
  const auto& rows = data::kMappingRows;
  for (std::size_t i = 0; i < std::size(rows); ++i) {
    const auto& row = rows[i];
    if (row.from == row.to || row.from == System::generic || row.to == System::generic) {
      return false;
    }
    if (row.table < 1 || row.table > 10) return false;
    if (row.peerStatus && !row.toStatus.empty()) return false;
    for (std::size_t j = i + 1; j < std::size(rows); ++j) {
      if (rows[j].from == row.from && rows[j].fromState == row.fromState && rows[j].to == row.to) {
        return false;
      }
    }
  }
  return true;
}
static_assert(rowsAreWellFormed(), "availability tables: duplicate or malformed cell");
static_assert(data::kMappingRowCount == 106, "the seed's tables 1-10 have 106 cells");

constexpr char asciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

constexpr bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

// `b` is a spelling from the tables; `a` is untrusted text from a peer or a client.
bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  a = trimmed(a);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view systemName(System system) {
  const auto index = static_cast<std::size_t>(system);
  assert(index < kSystemNames.size());
  return kSystemNames[index].name;
}

std::optional<System> parseSystem(std::string_view name) {
  for (const auto& entry : kSystemNames) {
    if (entry.name == name) return entry.system;
  }
  return std::nullopt;
}

std::optional<Mapped> mapAvailability(System from, Availability state, System to) {
  if (from == to || from == System::generic || to == System::generic) {
    return Mapped{state, {}, true, 0};
  }
  for (const auto& row : data::kMappingRows) {
    if (row.from == from && row.fromState == state && row.to == to) {
      return Mapped{row.toState, row.toStatus, row.peerStatus, row.table};
    }
  }
  return std::nullopt;
}

Availability canonicalFromPeer(System from, Availability shown, std::string_view status) {
  for (const auto& spelling : kPeerSpellings) {
    if (spelling.system == from && spelling.shown == shown &&
        equalsIgnoringCase(status, spelling.status)) {
      return spelling.canonical;
    }
  }
  return shown;
}

std::span<const MappingRow> mappingRows() {
  return data::kMappingRows;
}

}  // namespace impd::presence
