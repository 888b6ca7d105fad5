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

TEST_P(StoreSuite, APolicyStartsAsAskWithNoEntries) {
  PrivacyPolicy p = privacy().policy("alice@imp.test");
  EXPECT_EQ(p.federatedDefault, WatcherDefault::kAsk);
  EXPECT_EQ(p.listName, "policy");
  EXPECT_TRUE(p.entries.empty());
}

TEST_P(StoreSuite, SetPolicyReplacesEntriesAndSettings) {
  ASSERT_TRUE(privacy().block("alice@imp.test", {"old.test"}));
  PrivacyPolicy p;
  p.federatedDefault = WatcherDefault::kBlock;
  p.listName = "work";
  p.entries = {{"b@lync.test", PolicyAction::kAllow, PolicyScope::kAll},
               {"a.test", PolicyAction::kBlock, PolicyScope::kPresence}};
  ASSERT_TRUE(privacy().setPolicy("alice@imp.test", p));
  PrivacyPolicy read = privacy().policy("alice@imp.test");
  EXPECT_EQ(read.federatedDefault, WatcherDefault::kBlock);
  EXPECT_EQ(read.listName, "work");
  EXPECT_EQ(read.entries, (std::vector<PolicyEntry>{
                              {"a.test", PolicyAction::kBlock, PolicyScope::kPresence},
                              {"b@lync.test", PolicyAction::kAllow, PolicyScope::kAll}}));
  EXPECT_TRUE(privacy().blocklist("alice@imp.test").empty()) << "a presence-only block is not "
                                                                "part of the XEP-0191 view";
  EXPECT_TRUE(privacy().policy("bob@imp.test").entries.empty());
}

TEST_P(StoreSuite, PutEntriesReplacesOnlyTheNamedJids) {
  ASSERT_TRUE(privacy().block("alice@imp.test", {"a.test", "b.test"}));
  ASSERT_TRUE(privacy().putEntries("alice@imp.test",
                                   {{"b.test", PolicyAction::kAllow, PolicyScope::kAll},
                                    {"c@d.test", PolicyAction::kBlock, PolicyScope::kPresence}}));
  EXPECT_EQ(privacy().policy("alice@imp.test").entries,
            (std::vector<PolicyEntry>{{"a.test", PolicyAction::kBlock, PolicyScope::kAll},
                                      {"b.test", PolicyAction::kAllow, PolicyScope::kAll},
                                      {"c@d.test", PolicyAction::kBlock, PolicyScope::kPresence}}));
  EXPECT_EQ(privacy().blocklist("alice@imp.test"), List{"a.test"});
}

TEST_P(StoreSuite, UnblockLeavesAllowAndPresenceOnlyEntries) {
  ASSERT_TRUE(privacy().putEntries("alice@imp.test",
                                   {{"a.test", PolicyAction::kAllow, PolicyScope::kAll},
                                    {"b.test", PolicyAction::kBlock, PolicyScope::kPresence},
                                    {"c.test", PolicyAction::kBlock, PolicyScope::kAll}}));
  ASSERT_TRUE(privacy().unblock("alice@imp.test", {"a.test", "b.test", "c.test"}));
  EXPECT_EQ(privacy().policy("alice@imp.test").entries.size(), 2u);
  ASSERT_TRUE(privacy().unblockAll("alice@imp.test"));
  EXPECT_EQ(privacy().policy("alice@imp.test").entries.size(), 2u);
  ASSERT_TRUE(privacy().removeUser("alice@imp.test"));
  EXPECT_TRUE(privacy().policy("alice@imp.test").entries.empty());
}

TEST(PrivacyNames, EveryWordRoundTrips) {
  for (auto a : {PolicyAction::kAllow, PolicyAction::kBlock}) EXPECT_EQ(parseAction(actionName(a)), a);
  for (auto s : {PolicyScope::kAll, PolicyScope::kPresence}) EXPECT_EQ(parseScope(scopeName(s)), s);
  for (auto d : {WatcherDefault::kAsk, WatcherDefault::kAllow, WatcherDefault::kBlock}) {
    EXPECT_EQ(parseWatcherDefault(watcherDefaultName(d)), d);
  }
  EXPECT_FALSE(parseAction("deny"));
  EXPECT_FALSE(parseWatcherDefault(""));
}

}  // namespace
}  // namespace impd::storage::testing
