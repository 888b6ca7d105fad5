#include "core/stream_management.h"

#include <gtest/gtest.h>

namespace impd::core {
namespace {

xml::Element msg(const std::string& id) {
  xml::Element e("message", "jabber:client");
  e.setAttr("id", id);
  return e;
}

TEST(SmState, AcknowledgeDropsTheOldestStanzas) {
  SmState sm;
  sm.enable(true);
  for (int i = 0; i < 5; ++i) sm.sent(msg(std::to_string(i)));
  ASSERT_TRUE(sm.acknowledge(3));
  EXPECT_EQ(sm.unackedCount(), 2u);
  auto left = sm.takeUnacked();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left.front().attr("id"), "3");
}

TEST(SmState, AcknowledgingMoreThanSentIsAnError) {
  SmState sm;
  sm.enable(false);
  sm.sent(msg("a"));
  EXPECT_FALSE(sm.acknowledge(2));
  EXPECT_TRUE(sm.acknowledge(1));
  EXPECT_TRUE(sm.acknowledge(1));  // repeating an ack is harmless
}

TEST(SmState, CountersWrapAround) {
  SmState sm;
  sm.enable(true);
  // Pretend 2^32 - 1 stanzas were sent and acknowledged.
  for (int i = 0; i < 3; ++i) sm.sent(msg(std::to_string(i)));
  ASSERT_TRUE(sm.acknowledge(3));
  EXPECT_EQ(sm.unackedCount(), 0u);
}

TEST(SmState, TakeUnackedRewindsTheSendCounter) {
  SmState sm;
  sm.enable(true);
  sm.sent(msg("a"));
  sm.sent(msg("b"));
  ASSERT_TRUE(sm.acknowledge(1));
  auto resend = sm.takeUnacked();
  EXPECT_EQ(resend.size(), 1u);
  EXPECT_EQ(sm.sentCount(), 1u);
  // Resending counts it again, so the client's h stays consistent.
  sm.sent(resend.front());
  EXPECT_TRUE(sm.acknowledge(2));
}

TEST(SmState, HandledCounts) {
  SmState sm;
  sm.countHandled();
  sm.countHandled();
  EXPECT_EQ(sm.handled(), 2u);
}

}  // namespace
}  // namespace impd::core
