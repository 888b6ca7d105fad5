#include <algorithm>

#include "store_suite.h"

namespace impd::storage::testing {
namespace {

RosterItem contact(const std::string& jid, std::vector<std::string> groups = {}) {
  RosterItem item;
  item.contact = jid;
  item.name = "Name of " + jid;
  item.groups = std::move(groups);
  item.subscription = Subscription::kBoth;
  return item;
}

TEST_P(StoreSuite, RosterItemRoundTripsEveryField) {
  RosterItem item;
  item.contact = "romeo@montague.test";
  item.name = "Roméo";
  item.groups = {"Friends", "Verona", "Ünïcode"};
  item.subscription = Subscription::kFrom;
  item.askOut = true;
  item.pendingIn = true;
  item.approved = true;
  item.inRoster = false;
  item.pendingInStanza = "<presence type='subscribe' from='romeo@montague.test'/>";
  ASSERT_TRUE(roster().put("juliet@imp.test", item));
  auto found = roster().item("juliet@imp.test", "romeo@montague.test");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->contact, item.contact);
  EXPECT_EQ(found->name, item.name);
  EXPECT_EQ(found->groups, item.groups);
  EXPECT_EQ(found->subscription, Subscription::kFrom);
  EXPECT_TRUE(found->askOut);
  EXPECT_TRUE(found->pendingIn);
  EXPECT_TRUE(found->approved);
  EXPECT_FALSE(found->inRoster);
  EXPECT_EQ(found->pendingInStanza, item.pendingInStanza);
}

TEST_P(StoreSuite, EverySubscriptionStateRoundTrips) {
  for (Subscription s :
       {Subscription::kNone, Subscription::kTo, Subscription::kFrom, Subscription::kBoth}) {
    RosterItem item = contact("bob@imp.test");
    item.subscription = s;
    ASSERT_TRUE(roster().put("alice@imp.test", item));
    EXPECT_EQ(roster().item("alice@imp.test", "bob@imp.test")->subscription, s);
  }
}

TEST_P(StoreSuite, ItemsListsOneUsersRowsOnly) {
  ASSERT_TRUE(roster().put("alice@imp.test", contact("carol@imp.test", {"b"})));
  ASSERT_TRUE(roster().put("alice@imp.test", contact("bob@imp.test", {"a"})));
  ASSERT_TRUE(roster().put("dave@imp.test", contact("bob@imp.test")));
  auto items = roster().items("alice@imp.test");
  ASSERT_EQ(items.size(), 2u);
  std::vector<std::string> contacts{items[0].contact, items[1].contact};
  std::sort(contacts.begin(), contacts.end());
  EXPECT_EQ(contacts, (std::vector<std::string>{"bob@imp.test", "carol@imp.test"}));
  for (const RosterItem& i : items) {
    EXPECT_EQ(i.groups, std::vector<std::string>{i.contact == "bob@imp.test" ? "a" : "b"});
  }
  EXPECT_TRUE(roster().items("nobody@imp.test").empty());
}

TEST_P(StoreSuite, PutReplacesTheRowAndItsGroups) {
  ASSERT_TRUE(roster().put("alice@imp.test", contact("bob@imp.test", {"Old", "Both"})));
  RosterItem changed = contact("bob@imp.test", {"Both", "New"});
  changed.name = "Robert";
  changed.subscription = Subscription::kTo;
  ASSERT_TRUE(roster().put("alice@imp.test", changed));
  auto items = roster().items("alice@imp.test");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].name, "Robert");
  EXPECT_EQ(items[0].groups, (std::vector<std::string>{"Both", "New"}));
  EXPECT_EQ(items[0].subscription, Subscription::kTo);
}

TEST_P(StoreSuite, AGroupNamedTwiceIsStoredOnce) {
  ASSERT_TRUE(roster().put("alice@imp.test", contact("bob@imp.test", {"A", "B", "A"})));
  EXPECT_EQ(roster().item("alice@imp.test", "bob@imp.test")->groups,
            (std::vector<std::string>{"A", "B"}));
}

TEST_P(StoreSuite, UnknownContactHasNoItem) {
  ASSERT_TRUE(roster().put("alice@imp.test", contact("bob@imp.test")));
  EXPECT_FALSE(roster().item("alice@imp.test", "carol@imp.test"));
  EXPECT_FALSE(roster().item("bob@imp.test", "alice@imp.test"));
}

TEST_P(StoreSuite, RosterVersionStartsAtZeroAndEveryPutBumpsIt) {
  EXPECT_EQ(roster().version("alice@imp.test"), 0u);
  auto v1 = roster().put("alice@imp.test", contact("bob@imp.test"));
  ASSERT_TRUE(v1);
  EXPECT_GT(*v1, 0u);
  auto v2 = roster().put("alice@imp.test", contact("bob@imp.test"));
  ASSERT_TRUE(v2);
  EXPECT_GT(*v2, *v1);
  EXPECT_EQ(roster().version("alice@imp.test"), *v2);
  EXPECT_EQ(roster().version("carol@imp.test"), 0u);
}

TEST_P(StoreSuite, RemoveBumpsTheVersionOnlyWhenARowGoes) {
  auto put = roster().put("alice@imp.test", contact("bob@imp.test"));
  ASSERT_TRUE(put);
  auto absent = roster().remove("alice@imp.test", "carol@imp.test");
  ASSERT_TRUE(absent);
  EXPECT_EQ(*absent, *put);
  auto removed = roster().remove("alice@imp.test", "bob@imp.test");
  ASSERT_TRUE(removed);
  EXPECT_GT(*removed, *put);
  EXPECT_EQ(roster().version("alice@imp.test"), *removed);
  EXPECT_FALSE(roster().item("alice@imp.test", "bob@imp.test"));
}

TEST_P(StoreSuite, UsersWithContactIsSortedAndCountsPendingRows) {
  RosterItem pendingOnly = contact("bob@imp.test");
  pendingOnly.inRoster = false;
  pendingOnly.pendingIn = true;
  ASSERT_TRUE(roster().put("dave@imp.test", contact("bob@imp.test")));
  ASSERT_TRUE(roster().put("alice@imp.test", pendingOnly));
  ASSERT_TRUE(roster().put("carol@imp.test", contact("bob@imp.test")));
  ASSERT_TRUE(roster().put("carol@imp.test", contact("erin@imp.test")));
  EXPECT_EQ(roster().usersWithContact("bob@imp.test"),
            (std::vector<std::string>{"alice@imp.test", "carol@imp.test", "dave@imp.test"}));
  EXPECT_EQ(roster().usersWithContact("erin@imp.test"), std::vector<std::string>{"carol@imp.test"});
  EXPECT_TRUE(roster().usersWithContact("nobody@imp.test").empty());
}

TEST_P(StoreSuite, RemoveUserClearsRowsAndTheVersionNeverGoesBack) {
  ASSERT_TRUE(roster().put("alice@imp.test", contact("bob@imp.test")));
  auto before = roster().put("alice@imp.test", contact("carol@imp.test"));
  ASSERT_TRUE(before);
  ASSERT_TRUE(roster().put("bob@imp.test", contact("alice@imp.test")));
  ASSERT_TRUE(roster().removeUser("alice@imp.test"));
  EXPECT_TRUE(roster().items("alice@imp.test").empty());
  EXPECT_EQ(roster().items("bob@imp.test").size(), 1u);
  // A client caching an old version must never see the same number for different contents.
  auto after = roster().put("alice@imp.test", contact("dave@imp.test"));
  ASSERT_TRUE(after);
  EXPECT_GT(*after, *before);
}

}  // namespace
}  // namespace impd::storage::testing
