// Typing notifications: RFC 3994 isComposing and Lync's KeyboardActivity.
#include "codec/simple/is_composing.h"

#include <gtest/gtest.h>

namespace impd::simple {
namespace {

TEST(IsComposing, Rfc3994Active) {
  auto composing = parseIsComposing(R"(<?xml version="1.0" encoding="UTF-8"?>
<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="urn:ietf:params:xml:ns:im-composing iscomposing.xsd">
  <state>active</state>
  <contenttype>text/plain</contenttype>
  <refresh>90</refresh>
</isComposing>)");
  ASSERT_TRUE(composing.ok()) << composing.error().message;
  EXPECT_EQ(composing->state, ComposingState::active);
  EXPECT_EQ(composing->contentType, "text/plain");
  EXPECT_EQ(composing->refresh, 90u);
}

TEST(IsComposing, IdleAndUnknownStates) {
  auto idle = parseIsComposing(
      "<isComposing xmlns='urn:ietf:params:xml:ns:im-iscomposing'><state>idle</state>"
      "<lastactive>2003-01-27T10:43:00Z</lastactive></isComposing>");
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(idle->state, ComposingState::idle);
  EXPECT_EQ(idle->lastActive, "2003-01-27T10:43:00Z");
  EXPECT_FALSE(idle->refresh.has_value());
  auto odd = parseIsComposing("<isComposing><state>thinking</state></isComposing>");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->state, ComposingState::idle);
}

TEST(IsComposing, Errors) {
  for (std::string_view input : {"", "garbage", "<isComposing/>", "<KeyboardActivity/>",
                                 "<isComposing><state>active</state>"}) {
    auto composing = parseIsComposing(input);
    ASSERT_FALSE(composing.ok()) << input;
    EXPECT_EQ(composing.error().condition, "bad-request");
  }
}

TEST(IsComposing, BuildRoundTrips) {
  IsComposing composing;
  composing.state = ComposingState::active;
  composing.contentType = "text/plain";
  composing.refresh = 60;
  composing.lastActive = "2024-05-01T10:00:00Z";
  const std::string xml = buildIsComposing(composing);
  EXPECT_NE(xml.find("xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\""), std::string::npos);
  EXPECT_NE(xml.find("<state>active</state>"), std::string::npos);
  auto back = parseIsComposing(xml);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, composing);
  auto idle = parseIsComposing(buildIsComposing(IsComposing{}));
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(*idle, IsComposing{});
}

TEST(KeyboardActivity, ParseBothStates) {
  auto typing = parseKeyboardActivity(
      "<?xml version=\"1.0\"?><KeyboardActivity><status status=\"type\" /></KeyboardActivity>");
  ASSERT_TRUE(typing.ok());
  EXPECT_EQ(*typing, ComposingState::active);
  auto idle = parseKeyboardActivity("<KeyboardActivity><status status='idle'/></KeyboardActivity>");
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(*idle, ComposingState::idle);
}

TEST(KeyboardActivity, Errors) {
  for (std::string_view input :
       {"", "<KeyboardActivity/>", "<KeyboardActivity><status/></KeyboardActivity>",
        "<KeyboardActivity><status status='typing'/></KeyboardActivity>",
        "<isComposing><state>active</state></isComposing>", "<KeyboardActivity>"}) {
    EXPECT_FALSE(parseKeyboardActivity(input).ok()) << input;
  }
}

TEST(KeyboardActivity, BuildRoundTrips) {
  EXPECT_EQ(buildKeyboardActivity(ComposingState::active),
            "<KeyboardActivity><status status=\"type\"/></KeyboardActivity>");
  for (auto state : {ComposingState::active, ComposingState::idle}) {
    auto back = parseKeyboardActivity(buildKeyboardActivity(state));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, state);
  }
}

}  // namespace
}  // namespace impd::simple
