#include "codec/presence/profile.h"

#include <gtest/gtest.h>

#include <set>

namespace impd::presence {
namespace {

TEST(System, NamesAreTheCsvSpellingsAndParseBack) {
  const std::set<std::string_view> expected{
      "ocs",      "lync",  "xmpp-client",           "rich-client",
      "sametime", "webex", "federated rich-client", "federated xmpp-client",
      "generic"};
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kSystemCount; ++i) {
    const auto system = static_cast<System>(i);
    names.insert(systemName(system));
    EXPECT_EQ(parseSystem(systemName(system)), system);
  }
  EXPECT_EQ(names, expected);
  EXPECT_EQ(parseSystem("Lync"), std::nullopt);
  EXPECT_EQ(parseSystem("impd"), std::nullopt);
}

TEST(MapAvailability, LyncBusyReachesAStandardClientAsAwayWithStatusBusy) {
  const auto mapped = mapAvailability(System::lync, Availability::busy, System::xmppClient);
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->state, Availability::away);
  EXPECT_EQ(mapped->status, "Busy");
  EXPECT_EQ(mapped->table, 4);
}

TEST(MapAvailability, ARichClientKeepsLyncBusy) {
  const auto mapped = mapAvailability(System::lync, Availability::doNotDisturb, System::richClient);
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->state, Availability::busy);
  EXPECT_EQ(mapped->status, "");
}

TEST(MapAvailability, GenericAndSameSystemAreIdentity) {
  for (std::size_t i = 0; i < kAvailabilityCount; ++i) {
    const auto state = static_cast<Availability>(i);
    for (const auto& [from, to] :
         {std::pair{System::generic, System::xmppClient}, std::pair{System::lync, System::generic},
          std::pair{System::xmppClient, System::xmppClient}}) {
      const auto mapped = mapAvailability(from, state, to);
      ASSERT_TRUE(mapped);
      EXPECT_EQ(mapped->state, state);
      EXPECT_EQ(mapped->status, "");
      EXPECT_TRUE(mapped->peerStatus);
      EXPECT_EQ(mapped->table, 0);
    }
  }
}

TEST(MapAvailability, CellsTheSeedLeavesOutAreNotInvented) {
  // Tables 2 and 5 give a rich client no Away towards OCS or Lync.
  EXPECT_EQ(mapAvailability(System::richClient, Availability::away, System::ocs), std::nullopt);
  EXPECT_EQ(mapAvailability(System::richClient, Availability::away, System::lync), std::nullopt);
  // Lync has no meeting state in table 4.
  EXPECT_EQ(mapAvailability(System::lync, Availability::inAMeeting, System::xmppClient),
            std::nullopt);
  // No table maps between two peers.
  EXPECT_EQ(mapAvailability(System::lync, Availability::busy, System::sametime), std::nullopt);
}

TEST(CanonicalFromPeer, StatusTextSpellsSomeStates) {
  EXPECT_EQ(canonicalFromPeer(System::sametime, Availability::available, "In a meeting"),
            Availability::inAMeeting);
  EXPECT_EQ(canonicalFromPeer(System::webex, Availability::away, "In a meeting"),
            Availability::inAMeeting);
  EXPECT_EQ(canonicalFromPeer(System::xmppClient, Availability::away, "Idle"), Availability::idle);
  EXPECT_EQ(canonicalFromPeer(System::xmppClient, Availability::away, " idle\n"),
            Availability::idle);
  EXPECT_EQ(canonicalFromPeer(System::sametime, Availability::available, "IN A MEETING"),
            Availability::inAMeeting);
}

TEST(CanonicalFromPeer, OtherwiseTheShownStateStands) {
  // Each spelling belongs to its own system and state.
  EXPECT_EQ(canonicalFromPeer(System::webex, Availability::available, "In a meeting"),
            Availability::available);
  EXPECT_EQ(canonicalFromPeer(System::sametime, Availability::away, "In a meeting"),
            Availability::away);
  EXPECT_EQ(canonicalFromPeer(System::lync, Availability::away, "Idle"), Availability::away);
  EXPECT_EQ(canonicalFromPeer(System::xmppClient, Availability::away, "Idle for now"),
            Availability::away);
  EXPECT_EQ(canonicalFromPeer(System::xmppClient, Availability::away, ""), Availability::away);
  EXPECT_EQ(
      canonicalFromPeer(System::xmppClient, Availability::away, std::string_view("Idle\0", 5)),
      Availability::away);
}

}  // namespace
}  // namespace impd::presence
