#include "store_suite.h"

namespace impd::storage::testing {
namespace {

TEST_P(StoreSuite, PopAllReturnsOldestFirstAndEmptiesTheQueue) {
  for (const char* body :
       {"<message>1</message>", "<message>2</message>", "<message>3</message>"}) {
    ASSERT_TRUE(offline().push("alice@imp.test", body, 10));
  }
  auto popped = offline().popAll("alice@imp.test");
  ASSERT_EQ(popped.size(), 3u);
  EXPECT_EQ(popped[0].stanza, "<message>1</message>");
  EXPECT_EQ(popped[1].stanza, "<message>2</message>");
  EXPECT_EQ(popped[2].stanza, "<message>3</message>");
  EXPECT_LT(popped[0].id, popped[1].id);
  EXPECT_LT(popped[1].id, popped[2].id);
  EXPECT_TRUE(offline().popAll("alice@imp.test").empty());
  EXPECT_EQ(offline().count("alice@imp.test"), 0u);
}

TEST_P(StoreSuite, CountFollowsPushes) {
  EXPECT_EQ(offline().count("alice@imp.test"), 0u);
  ASSERT_TRUE(offline().push("alice@imp.test", "<message/>", 10));
  ASSERT_TRUE(offline().push("alice@imp.test", "<message/>", 10));
  EXPECT_EQ(offline().count("alice@imp.test"), 2u);
}

TEST_P(StoreSuite, PushAtTheLimitIsResourceConstraint) {
  ASSERT_TRUE(offline().push("alice@imp.test", "<message>1</message>", 2));
  ASSERT_TRUE(offline().push("alice@imp.test", "<message>2</message>", 2));
  auto full = offline().push("alice@imp.test", "<message>3</message>", 2);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().condition, "resource-constraint");
  EXPECT_EQ(offline().count("alice@imp.test"), 2u);
  // A larger limit (the operator raised it) lets the next one in.
  EXPECT_TRUE(offline().push("alice@imp.test", "<message>3</message>", 3));
}

TEST_P(StoreSuite, LimitZeroStoresNothing) {
  auto refused = offline().push("alice@imp.test", "<message/>", 0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().condition, "resource-constraint");
  EXPECT_EQ(offline().count("alice@imp.test"), 0u);
}

TEST_P(StoreSuite, OfflineQueuesArePerUser) {
  ASSERT_TRUE(offline().push("alice@imp.test", "<message>a</message>", 1));
  ASSERT_TRUE(offline().push("bob@imp.test", "<message>b</message>", 1));
  auto alice = offline().popAll("alice@imp.test");
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0].stanza, "<message>a</message>");
  EXPECT_EQ(offline().count("bob@imp.test"), 1u);
}

TEST_P(StoreSuite, IdsKeepIncreasingAfterAPop) {
  ASSERT_TRUE(offline().push("alice@imp.test", "<message>1</message>", 10));
  auto first = offline().popAll("alice@imp.test");
  ASSERT_TRUE(offline().push("alice@imp.test", "<message>2</message>", 10));
  auto second = offline().popAll("alice@imp.test");
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_LT(first[0].id, second[0].id);
}

TEST_P(StoreSuite, LargeAndNonAsciiStanzasRoundTrip) {
  std::string big = "<message><body>" + std::string(200 * 1024, 'x') + "</body></message>";
  std::string text = "<message><body>Grüße — 你好 — 🙂</body></message>";
  ASSERT_TRUE(offline().push("alice@imp.test", big, 10));
  ASSERT_TRUE(offline().push("alice@imp.test", text, 10));
  auto popped = offline().popAll("alice@imp.test");
  ASSERT_EQ(popped.size(), 2u);
  EXPECT_EQ(popped[0].stanza, big);
  EXPECT_EQ(popped[1].stanza, text);
}

TEST_P(StoreSuite, OfflineRemoveUserDropsTheQueue) {
  ASSERT_TRUE(offline().push("alice@imp.test", "<message/>", 10));
  ASSERT_TRUE(offline().push("bob@imp.test", "<message/>", 10));
  ASSERT_TRUE(offline().removeUser("alice@imp.test"));
  EXPECT_EQ(offline().count("alice@imp.test"), 0u);
  EXPECT_EQ(offline().count("bob@imp.test"), 1u);
}

}  // namespace
}  // namespace impd::storage::testing
