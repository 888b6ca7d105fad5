#include "codec/presence/availability.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace impd::presence {
namespace {

TEST(Availability, EveryStateHasADistinctNameThatParsesBack) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kAvailabilityCount; ++i) {
    const auto state = static_cast<Availability>(i);
    const auto name = availabilityName(state);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(parseAvailability(name), state) << name;
  }
}

TEST(Availability, NamesAreTheIssuesVocabulary) {
  EXPECT_EQ(availabilityName(Availability::available), "available");
  EXPECT_EQ(availabilityName(Availability::availableIdle), "available-idle");
  EXPECT_EQ(availabilityName(Availability::busy), "busy");
  EXPECT_EQ(availabilityName(Availability::doNotDisturb), "do-not-disturb");
  EXPECT_EQ(availabilityName(Availability::beRightBack), "be-right-back");
  EXPECT_EQ(availabilityName(Availability::away), "away");
  EXPECT_EQ(availabilityName(Availability::extendedAway), "extended-away");
  EXPECT_EQ(availabilityName(Availability::idle), "idle");
  EXPECT_EQ(availabilityName(Availability::inAMeeting), "in-a-meeting");
  EXPECT_EQ(availabilityName(Availability::offline), "offline");
}

TEST(Availability, UnknownOrMisspelledNamesDoNotParse) {
  EXPECT_EQ(parseAvailability(""), std::nullopt);
  EXPECT_EQ(parseAvailability("Away"), std::nullopt);
  EXPECT_EQ(parseAvailability("dnd"), std::nullopt);
  EXPECT_EQ(parseAvailability("away "), std::nullopt);
  EXPECT_EQ(parseAvailability(std::string_view("away\0", 5)), std::nullopt);
}

TEST(Availability, PresenceStateComparesStateAndText) {
  const PresenceState busy{Availability::busy, "In a call"};
  EXPECT_EQ(busy, (PresenceState{Availability::busy, "In a call"}));
  EXPECT_NE(busy, (PresenceState{Availability::busy, ""}));
  EXPECT_NE(busy, (PresenceState{Availability::away, "In a call"}));
  EXPECT_EQ(PresenceState{}.availability, Availability::offline);
}

}  // namespace
}  // namespace impd::presence
