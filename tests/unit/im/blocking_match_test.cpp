// XEP-0191 items match the way XEP-0016 JID items do: full JID, bare JID, domain/resource,
// domain. Roster contacts (bare JIDs) take a shortcut that must agree with the full rule.
#include <gtest/gtest.h>

#include <algorithm>

#include "im/internal.h"

namespace impd::im {
namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

xmpp::Jid jid(std::string_view text) {
  auto j = xmpp::Jid::parse(text);
  EXPECT_TRUE(j) << text;
  return j ? *j : xmpp::Jid();
}

TEST(BlockMatching, FullJidItemMatchesOnlyThatResource) {
  auto list = sorted({"bob@imp.test/desk"});
  EXPECT_TRUE(isBlocked(list, jid("bob@imp.test/desk")));
  EXPECT_FALSE(isBlocked(list, jid("bob@imp.test/phone")));
  EXPECT_FALSE(isBlocked(list, jid("bob@imp.test")));
  EXPECT_FALSE(isBlockedContact(list, "bob@imp.test"));
}

TEST(BlockMatching, BareJidItemMatchesEveryResource) {
  auto list = sorted({"bob@imp.test"});
  EXPECT_TRUE(isBlocked(list, jid("bob@imp.test/desk")));
  EXPECT_TRUE(isBlocked(list, jid("bob@imp.test")));
  EXPECT_FALSE(isBlocked(list, jid("imp.test")));
  EXPECT_FALSE(isBlocked(list, jid("bobby@imp.test")));
  EXPECT_TRUE(isBlockedContact(list, "bob@imp.test"));
}

TEST(BlockMatching, DomainResourceItemMatchesThatResourceOfEveryUser) {
  auto list = sorted({"imp.test/bot"});
  EXPECT_TRUE(isBlocked(list, jid("bob@imp.test/bot")));
  EXPECT_TRUE(isBlocked(list, jid("imp.test/bot")));
  EXPECT_FALSE(isBlocked(list, jid("bob@imp.test/desk")));
  EXPECT_FALSE(isBlocked(list, jid("bob@imp.test")));
}

TEST(BlockMatching, DomainItemMatchesEverythingThere) {
  auto list = sorted({"montague.test"});
  EXPECT_TRUE(isBlocked(list, jid("romeo@montague.test/orchard")));
  EXPECT_TRUE(isBlocked(list, jid("romeo@montague.test")));
  EXPECT_TRUE(isBlocked(list, jid("montague.test")));
  EXPECT_FALSE(isBlocked(list, jid("capulet.test")));
  EXPECT_FALSE(isBlocked(list, jid("montague.test.evil")));
  EXPECT_TRUE(isBlockedContact(list, "romeo@montague.test"));
  EXPECT_FALSE(isBlockedContact(list, "juliet@capulet.test"));
}

TEST(BlockMatching, EmptyListBlocksNothing) {
  EXPECT_FALSE(isBlocked({}, jid("bob@imp.test")));
  EXPECT_FALSE(isBlockedContact({}, "bob@imp.test"));
}

}  // namespace
}  // namespace impd::im
