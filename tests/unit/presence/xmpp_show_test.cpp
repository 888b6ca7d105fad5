#include "codec/presence/xmpp_show.h"

#include <gtest/gtest.h>

#include <tuple>

namespace impd::presence {
namespace {

TEST(Show, RfcValuesRoundTrip) {
  for (const auto show : {Show::away, Show::chat, Show::dnd, Show::xa}) {
    EXPECT_EQ(parseShow(showName(show)), show);
  }
  EXPECT_EQ(showName(Show::none), "");
  EXPECT_EQ(parseShow(""), std::nullopt);
  EXPECT_EQ(parseShow("DND"), std::nullopt);
  EXPECT_EQ(parseShow("busy"), std::nullopt);
}

TEST(XmppShowFor, LyncBusyAndDoNotDisturbArriveAsAwayWithStatusBusy) {
  EXPECT_EQ(xmppShowFor(System::lync, Availability::busy, "In a call"),
            (XmppShow{Show::away, "Busy"}));
  EXPECT_EQ(xmppShowFor(System::lync, Availability::doNotDisturb), (XmppShow{Show::away, "Busy"}));
  EXPECT_EQ(xmppShowFor(System::ocs, Availability::busy), (XmppShow{Show::away, "Busy"}));
}

TEST(XmppShowFor, ThePeersOwnTextPassesWhereNoCellFixesOne) {
  EXPECT_EQ(xmppShowFor(System::lync, Availability::away, "Lunch"),
            (XmppShow{Show::away, "Lunch"}));
  EXPECT_EQ(xmppShowFor(System::lync, Availability::beRightBack), (XmppShow{Show::away, ""}));
  EXPECT_EQ(xmppShowFor(System::sametime, Availability::available, "Working from home"),
            (XmppShow{Show::none, "Working from home"}));
}

TEST(XmppShowFor, MeetingsFromSametimeAndWebexAreAvailableInAMeeting) {
  EXPECT_EQ(xmppShowFor(System::sametime, Availability::inAMeeting, "In a meeting"),
            (XmppShow{Show::none, "In a meeting"}));
  EXPECT_EQ(xmppShowFor(System::webex, Availability::inAMeeting, "in a meeting"),
            (XmppShow{Show::none, "In a meeting"}));
  EXPECT_EQ(xmppShowFor(System::webex, Availability::doNotDisturb), (XmppShow{Show::dnd, ""}));
}

TEST(XmppShowFor, OfflineIsUnavailable) {
  for (const auto from : {System::lync, System::ocs, System::sametime, System::webex,
                          System::generic, System::richClient}) {
    EXPECT_EQ(xmppShowFor(from, Availability::offline, "Gone home"), std::nullopt);
  }
}

// A contact state that no cell covers (a generic peer, or a local rich client) is shown as it is.
TEST(XmppShowFor, EveryCanonicalStateHasAStandardRendering) {
  const std::tuple<Availability, std::optional<XmppShow>> cases[] = {
      {Availability::available, XmppShow{Show::none, ""}},
      {Availability::availableIdle, XmppShow{Show::away, "Inactive"}},
      {Availability::busy, XmppShow{Show::away, "Busy"}},
      {Availability::doNotDisturb, XmppShow{Show::dnd, ""}},
      {Availability::beRightBack, XmppShow{Show::away, ""}},
      {Availability::away, XmppShow{Show::away, ""}},
      {Availability::extendedAway, XmppShow{Show::xa, ""}},
      {Availability::idle, XmppShow{Show::away, "Idle"}},
      {Availability::inAMeeting, XmppShow{Show::none, "In a meeting"}},
      {Availability::offline, std::nullopt},
  };
  static_assert(std::size(cases) == kAvailabilityCount);
  for (const auto& [state, expected] : cases) {
    SCOPED_TRACE(availabilityName(state));
    EXPECT_EQ(xmppShowFor(System::generic, state), expected);
    EXPECT_EQ(xmppShowFor(System::richClient, state), expected);
  }
}

// Each cell whose target is a standard client on this server comes out as that cell says.
TEST(XmppShowFor, AgreesWithEveryStandardClientCell) {
  int cells = 0;
  for (const auto& row : mappingRows()) {
    if (row.to != System::xmppClient) continue;
    ++cells;
    SCOPED_TRACE(std::string(systemName(row.from)) + " " +
                 std::string(availabilityName(row.fromState)));
    const auto shown = xmppShowFor(row.from, row.fromState);
    if (row.toState == Availability::offline) {
      EXPECT_EQ(shown, std::nullopt);
      continue;
    }
    ASSERT_TRUE(shown);
    EXPECT_EQ(fromXmppShow(*shown).availability, row.toState);
    EXPECT_EQ(shown->status, row.toStatus);
  }
  EXPECT_EQ(cells, 6 + 6 + 5 + 5);  // tables 1, 4, 7 and 8
}

TEST(FromXmppShow, ReadsAStandardClientsPresence) {
  const std::tuple<XmppShow, Availability> cases[] = {
      {{Show::none, ""}, Availability::available},
      {{Show::chat, "Talk to me"}, Availability::available},
      {{Show::away, ""}, Availability::away},
      {{Show::away, "Idle"}, Availability::idle},
      {{Show::away, "idle "}, Availability::idle},
      {{Show::away, "Lunch"}, Availability::away},
      {{Show::none, "Idle"}, Availability::available},
      {{Show::xa, ""}, Availability::extendedAway},
      {{Show::dnd, "Busy"}, Availability::doNotDisturb},
  };
  for (const auto& [presence, expected] : cases) {
    const auto state = fromXmppShow(presence);
    EXPECT_EQ(state.availability, expected) << showName(presence.show) << " " << presence.status;
    EXPECT_EQ(state.status, presence.status);
  }
}

// Tables 3 and 6: what Lync and OCS users see of a standard client on this server.
TEST(FromXmppShow, FeedsTablesThreeAndSix) {
  const std::tuple<Show, Availability> cases[] = {
      {Show::none, Availability::available},
      {Show::away, Availability::away},
      {Show::xa, Availability::away},
      {Show::dnd, Availability::busy},
  };
  for (const auto& [show, expected] : cases) {
    const auto state = fromXmppShow({show, ""});
    for (const auto peer : {System::ocs, System::lync}) {
      const auto mapped = mapAvailability(System::xmppClient, state.availability, peer);
      ASSERT_TRUE(mapped) << showName(show);
      EXPECT_EQ(mapped->state, expected) << showName(show);
    }
  }
}

}  // namespace
}  // namespace impd::presence
