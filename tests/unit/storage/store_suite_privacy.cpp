#include "store_suite.h"

namespace impd::storage::testing {
namespace {

using List = std::vector<std::string>;

TEST_P(StoreSuite, BlocklistIsSortedAndEachEntryStoredOnce) {
  ASSERT_TRUE(
      privacy().block("alice@imp.test", {"spam.test", "bob@imp.test/phone", "bob@imp.test"}));
  ASSERT_TRUE(privacy().block("alice@imp.test", {"bob@imp.test", "carol@imp.test"}));
  EXPECT_EQ(privacy().blocklist("alice@imp.test"),
            (List{"bob@imp.test", "bob@imp.test/phone", "carol@imp.test", "spam.test"}));
}

TEST_P(StoreSuite, UnblockRemovesOnlyTheNamedEntries) {
  ASSERT_TRUE(privacy().block("alice@imp.test", {"a.test", "b.test", "c.test"}));
  ASSERT_TRUE(privacy().unblock("alice@imp.test", {"b.test", "never-blocked.test"}));
  EXPECT_EQ(privacy().blocklist("alice@imp.test"), (List{"a.test", "c.test"}));
}

TEST_P(StoreSuite, UnblockAllEmptiesOneUsersList) {
  ASSERT_TRUE(privacy().block("alice@imp.test", {"a.test", "b.test"}));
  ASSERT_TRUE(privacy().block("bob@imp.test", {"a.test"}));
  ASSERT_TRUE(privacy().unblockAll("alice@imp.test"));
  EXPECT_TRUE(privacy().blocklist("alice@imp.test").empty());
  EXPECT_EQ(privacy().blocklist("bob@imp.test"), List{"a.test"});
}

TEST_P(StoreSuite, EmptyBlockAndUnblockAreNoOps) {
  ASSERT_TRUE(privacy().block("alice@imp.test", {}));
  ASSERT_TRUE(privacy().unblock("alice@imp.test", {}));
  ASSERT_TRUE(privacy().unblockAll("nobody@imp.test"));
  EXPECT_TRUE(privacy().blocklist("alice@imp.test").empty());
}

}  // namespace
}  // namespace impd::storage::testing
