// Policy entries match the way XEP-0016 JID items do: full JID, bare JID, domain/resource,
// domain, and the most specific entry decides. Roster contacts (bare JIDs) take a shortcut
// that must agree with the full rule.
#include <gtest/gtest.h>

#include "im/internal.h"

namespace impd::im {
namespace {

using storage::PolicyAction;
using storage::PolicyEntry;
using storage::PolicyScope;
using storage::WatcherDefault;

PolicyEntry block(std::string jid, PolicyScope scope = PolicyScope::kAll) {
  return {std::move(jid), PolicyAction::kBlock, scope};
}
PolicyEntry allow(std::string jid) { return {std::move(jid), PolicyAction::kAllow, PolicyScope::kAll}; }

Policy policy(std::vector<PolicyEntry> entries, WatcherDefault d = WatcherDefault::kAsk) {
  storage::PrivacyPolicy p;
  p.entries = std::move(entries);  // deliberately unsorted in some tests: makePolicy sorts
  p.federatedDefault = d;
  return makePolicy(std::move(p));
}

xmpp::Jid jid(std::string_view text) {
  auto j = xmpp::Jid::parse(text);
  EXPECT_TRUE(j) << text;
  return j ? *j : xmpp::Jid();
}

TEST(PolicyMatching, FullJidItemMatchesOnlyThatResource) {
  auto p = policy({block("bob@imp.test/desk")});
  EXPECT_TRUE(blocksAll(*p, jid("bob@imp.test/desk")));
  EXPECT_FALSE(blocksAll(*p, jid("bob@imp.test/phone")));
  EXPECT_FALSE(blocksAll(*p, jid("bob@imp.test")));
  EXPECT_FALSE(blocksAll(*p, std::string("bob@imp.test")));
}

TEST(PolicyMatching, BareJidItemMatchesEveryResource) {
  auto p = policy({block("bob@imp.test")});
  EXPECT_TRUE(blocksAll(*p, jid("bob@imp.test/desk")));
  EXPECT_TRUE(blocksAll(*p, jid("bob@imp.test")));
  EXPECT_FALSE(blocksAll(*p, jid("imp.test")));
  EXPECT_FALSE(blocksAll(*p, jid("bobby@imp.test")));
  EXPECT_TRUE(blocksAll(*p, std::string("bob@imp.test")));
}

TEST(PolicyMatching, DomainResourceItemMatchesThatResourceOfEveryUser) {
  auto p = policy({block("imp.test/bot")});
  EXPECT_TRUE(blocksAll(*p, jid("bob@imp.test/bot")));
  EXPECT_TRUE(blocksAll(*p, jid("imp.test/bot")));
  EXPECT_FALSE(blocksAll(*p, jid("bob@imp.test/desk")));
  EXPECT_FALSE(blocksAll(*p, jid("bob@imp.test")));
}

TEST(PolicyMatching, DomainItemMatchesEverythingThere) {
  auto p = policy({block("montague.test")});
  EXPECT_TRUE(blocksAll(*p, jid("romeo@montague.test/orchard")));
  EXPECT_TRUE(blocksAll(*p, jid("romeo@montague.test")));
  EXPECT_TRUE(blocksAll(*p, jid("montague.test")));
  EXPECT_FALSE(blocksAll(*p, jid("capulet.test")));
  EXPECT_FALSE(blocksAll(*p, jid("montague.test.evil")));
  EXPECT_TRUE(blocksAll(*p, std::string("romeo@montague.test")));
  EXPECT_FALSE(blocksAll(*p, std::string("juliet@capulet.test")));
}

TEST(PolicyMatching, EmptyPolicyBlocksNothing) {
  auto p = policy({});
  EXPECT_FALSE(blocksAll(*p, jid("bob@imp.test")));
  EXPECT_FALSE(withholdsPresence(*p, std::string("bob@imp.test")));
}

TEST(PolicyMatching, TheMostSpecificEntryDecides) {
  auto p = policy({block("lync.test"), allow("boss@lync.test")});
  EXPECT_FALSE(blocksAll(*p, jid("boss@lync.test/pc")));
  EXPECT_TRUE(blocksAll(*p, jid("other@lync.test")));
  EXPECT_EQ(authorizeFederatedWatcher(*p, "boss@lync.test"), WatcherDefault::kAllow);
  EXPECT_EQ(authorizeFederatedWatcher(*p, "other@lync.test"), WatcherDefault::kBlock);
}

TEST(PolicyMatching, APresenceOnlyBlockWithholdsPresenceButPassesMessages) {
  auto p = policy({block("eve@lync.test", PolicyScope::kPresence)});
  EXPECT_FALSE(blocksAll(*p, jid("eve@lync.test/pc")));
  EXPECT_TRUE(withholdsPresence(*p, jid("eve@lync.test/pc")));
  EXPECT_TRUE(withholdsPresence(*p, std::string("eve@lync.test")));
  EXPECT_EQ(p->blocklist(), std::vector<std::string>{});
}

TEST(PolicyMatching, UndecidedWatchersGetTheUsersDefault) {
  for (auto d : {WatcherDefault::kAsk, WatcherDefault::kAllow, WatcherDefault::kBlock}) {
    auto p = policy({allow("friend.test"), block("foe.test")}, d);
    EXPECT_EQ(authorizeFederatedWatcher(*p, "x@other.test"), d);
    EXPECT_EQ(authorizeFederatedWatcher(*p, "x@friend.test"), WatcherDefault::kAllow);
    EXPECT_EQ(authorizeFederatedWatcher(*p, "x@foe.test"), WatcherDefault::kBlock);
  }
}

TEST(PolicyMatching, TheBlocklistViewListsOnlyFullBlocksInOrder) {
  auto p = policy({block("z.test"), allow("b.test"), block("a.test"),
                   block("m@n.test", PolicyScope::kPresence)});
  EXPECT_EQ(p->blocklist(), (std::vector<std::string>{"a.test", "z.test"}));
}

}  // namespace
}  // namespace impd::im
