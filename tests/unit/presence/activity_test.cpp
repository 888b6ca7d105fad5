#include "codec/presence/activity.h"

#include <gtest/gtest.h>

#include <limits>
#include <tuple>

#include "codec/presence/xmpp_show.h"

namespace impd::presence {
namespace {

TEST(LyncNumber, EveryRangeAndItsEdges) {
  constexpr auto kMax = std::numeric_limits<std::uint32_t>::max();
  const std::tuple<std::uint32_t, Availability> cases[] = {
      {0, Availability::offline},          {2999, Availability::offline},
      {3000, Availability::available},     {3500, Availability::available},
      {4499, Availability::available},     {4500, Availability::availableIdle},
      {5000, Availability::availableIdle}, {5999, Availability::availableIdle},
      {6000, Availability::busy},          {6500, Availability::busy},
      {7499, Availability::busy},          {7500, Availability::busy},
      {8999, Availability::busy},          {9000, Availability::doNotDisturb},
      {9500, Availability::doNotDisturb},  {11999, Availability::doNotDisturb},
      {12000, Availability::beRightBack},  {12500, Availability::beRightBack},
      {14999, Availability::beRightBack},  {15000, Availability::away},
      {15500, Availability::away},         {17999, Availability::away},
      {18000, Availability::offline},      {18500, Availability::offline},
      {kMax, Availability::offline},
  };
  for (const auto& [number, expected] : cases) {
    EXPECT_EQ(availabilityFromLyncNumber(number), expected) << number;
  }
}

TEST(Activity, RfcTokensFromAnyPeer) {
  const std::tuple<std::string_view, Availability> cases[] = {
      {"busy", Availability::busy},
      {"away", Availability::away},
      {"on-the-phone", Availability::busy},
      {"meeting", Availability::inAMeeting},
      {"vacation", Availability::extendedAway},
      {"presentation", Availability::doNotDisturb},
      {"unknown", Availability::available},
  };
  for (const auto& [token, expected] : cases) {
    EXPECT_EQ(availabilityFromActivity(System::generic, token), expected) << token;
    EXPECT_EQ(availabilityFromActivity(System::sametime, token), expected) << token;
  }
}

TEST(Activity, MicrosoftTokens) {
  EXPECT_EQ(availabilityFromActivity(System::lync, "be-right-back"), Availability::beRightBack);
  EXPECT_EQ(availabilityFromActivity(System::lync, "idle"), Availability::availableIdle);
  EXPECT_EQ(availabilityFromActivity(System::ocs, "busyidle"), Availability::busy);
  EXPECT_EQ(availabilityFromActivity(System::lync, "urgent-interruptions-only"),
            Availability::doNotDisturb);
  EXPECT_EQ(availabilityFromActivity(System::lync, "invisible"), Availability::offline);
}

TEST(Activity, UnknownTokensAreLeftToTheCaller) {
  EXPECT_EQ(availabilityFromActivity(System::generic, "other"), std::nullopt);
  EXPECT_EQ(availabilityFromActivity(System::generic, ""), std::nullopt);
  EXPECT_EQ(availabilityFromActivity(System::generic, "Busy"), std::nullopt);
  EXPECT_EQ(availabilityFromActivity(System::lync, "rpid:busy"), std::nullopt);
}

// Where the vocabulary and the seed disagree, the seed decides what the user sees: a Lync user in
// a meeting is Busy (table 4 has no meeting state), so a standard client sees away + "Busy".
TEST(Activity, TheSeedWinsForLyncAndOcsMeetings) {
  for (const auto peer : {System::lync, System::ocs}) {
    for (const auto token : {"meeting", "in-a-meeting"}) {
      const auto state = availabilityFromActivity(peer, token);
      ASSERT_EQ(state, Availability::busy) << token;
      EXPECT_EQ(xmppShowFor(peer, *state), (XmppShow{Show::away, "Busy"}));
    }
  }
  EXPECT_EQ(availabilityFromActivity(System::generic, "in-a-meeting"), Availability::inAMeeting);
}

TEST(Activity, LyncNumbersReachAStandardClientAsTable4Says) {
  EXPECT_EQ(xmppShowFor(System::lync, availabilityFromLyncNumber(3500)),
            (XmppShow{Show::none, ""}));
  EXPECT_EQ(xmppShowFor(System::lync, availabilityFromLyncNumber(6500)),
            (XmppShow{Show::away, "Busy"}));
  EXPECT_EQ(xmppShowFor(System::lync, availabilityFromLyncNumber(9500)),
            (XmppShow{Show::away, "Busy"}));
  EXPECT_EQ(xmppShowFor(System::lync, availabilityFromLyncNumber(12500)),
            (XmppShow{Show::away, ""}));
  EXPECT_EQ(xmppShowFor(System::lync, availabilityFromLyncNumber(15500)),
            (XmppShow{Show::away, ""}));
  EXPECT_EQ(xmppShowFor(System::lync, availabilityFromLyncNumber(18500)), std::nullopt);
}

}  // namespace
}  // namespace impd::presence
