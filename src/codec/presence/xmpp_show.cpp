#include "codec/presence/xmpp_show.h"

#include <array>
#include <cassert>

namespace impd::presence {
namespace {

struct ShowName {
  Show show;
  std::string_view name;
  Availability availability;  // what a local standard client means by it
};

constexpr std::array<ShowName, 5> kShows{{
    {Show::none, "", Availability::available},
    {Show::away, "away", Availability::away},
    {Show::chat, "chat", Availability::available},
    {Show::dnd, "dnd", Availability::doNotDisturb},
    {Show::xa, "xa", Availability::extendedAway},
}};

// How each canonical state reaches a standard client when no cell fixes it otherwise.
struct Rendering {
  Availability availability;
  std::optional<Show> show;  // nullopt: unavailable
  std::string_view status;   // the text the state needs, if <show> alone cannot carry it
};

constexpr std::array<Rendering, kAvailabilityCount> kRenderings{{
    {Availability::available, Show::none, ""},
    // No seed row; Lync's own label for the state.
    {Availability::availableIdle, Show::away, "Inactive"},
    // Tables 1 and 4: Busy reaches a standard client as away + "Busy".
    {Availability::busy, Show::away, "Busy"},
    // Tables 7, 8 and 10: Do Not Disturb stays dnd.
    {Availability::doNotDisturb, Show::dnd, ""},
    // Tables 1 and 4: Be Right Back is plain away.
    {Availability::beRightBack, Show::away, ""},
    {Availability::away, Show::away, ""},
    {Availability::extendedAway, Show::xa, ""},
    // Table 10: a standard client's away + "Idle" is idle, so idle is shown the same way.
    {Availability::idle, Show::away, "Idle"},
    // Tables 7 and 8: a meeting reaches a standard client as available + "In a meeting".
    {Availability::inAMeeting, Show::none, "In a meeting"},
    {Availability::offline, std::nullopt, ""},
}};

constexpr bool tablesFollowTheEnums() {
  for (std::size_t i = 0; i < kShows.size(); ++i) {
    if (static_cast<std::size_t>(kShows[i].show) != i) return false;
  }
  for (std::size_t i = 0; i < kRenderings.size(); ++i) {
    if (static_cast<std::size_t>(kRenderings[i].availability) != i) return false;
  }
  return true;
}
static_assert(tablesFollowTheEnums(), "kShows and kRenderings must follow their enums' order");

}  // namespace

std::string_view showName(Show show) {
  const auto index = static_cast<std::size_t>(show);
  assert(index < kShows.size());
  return kShows[index].name;
}

std::optional<Show> parseShow(std::string_view name) {
  if (name.empty()) return std::nullopt;
  for (const auto& entry : kShows) {
    if (entry.name == name) return entry.show;
  }
  return std::nullopt;
}

Availability availabilityOfShow(Show show) {
  return kShows[static_cast<std::size_t>(show)].availability;
}

std::optional<XmppShow> xmppShowFor(System from, Availability state, std::string_view peerStatus) {
  const Mapped identity{state, {}, true, 0};
  const Mapped mapped = mapAvailability(from, state, System::xmppClient).value_or(identity);
  const Rendering& rendering = kRenderings[static_cast<std::size_t>(mapped.state)];
  if (!rendering.show) return std::nullopt;

  std::string_view status = peerStatus;
  if (!mapped.status.empty()) {
    status = mapped.status;
  } else if (!rendering.status.empty()) {
    status = rendering.status;
  }
  return XmppShow{*rendering.show, std::string(status)};
}

PresenceState fromXmppShow(const XmppShow& presence) {
  const Availability shown = kShows[static_cast<std::size_t>(presence.show)].availability;
  return PresenceState{canonicalFromPeer(System::xmppClient, shown, presence.status),
                       presence.status};
}

}  // namespace impd::presence
