#include "store_suite.h"

namespace impd::storage::testing {
namespace {

using Subs = std::vector<SipSubscription>;

TEST_P(StoreSuite, SipSubscriptionsStartEmptyAndKeepWhatIsPut) {
  SipSubscriptionStore& sip = store().sipSubscriptions();
  EXPECT_TRUE(sip.all().empty());
  ASSERT_TRUE(sip.put({"alice@imp.test", "bob@lync.test", false}));
  EXPECT_EQ(sip.all(), (Subs{{"alice@imp.test", "bob@lync.test", false}}));
}

TEST_P(StoreSuite, PuttingASipSubscriptionAgainUpdatesApproved) {
  SipSubscriptionStore& sip = store().sipSubscriptions();
  ASSERT_TRUE(sip.put({"alice@imp.test", "bob@lync.test", false}));
  ASSERT_TRUE(sip.put({"alice@imp.test", "bob@lync.test", true}));
  EXPECT_EQ(sip.all(), (Subs{{"alice@imp.test", "bob@lync.test", true}}));
  ASSERT_TRUE(sip.put({"alice@imp.test", "bob@lync.test", false}));
  EXPECT_EQ(sip.all(), (Subs{{"alice@imp.test", "bob@lync.test", false}}));
}

TEST_P(StoreSuite, RemovingASipSubscriptionLeavesTheOthers) {
  SipSubscriptionStore& sip = store().sipSubscriptions();
  ASSERT_TRUE(sip.put({"alice@imp.test", "bob@lync.test", true}));
  ASSERT_TRUE(sip.put({"alice@imp.test", "carol@lync.test", false}));
  ASSERT_TRUE(sip.put({"dave@imp.test", "bob@lync.test", true}));
  ASSERT_TRUE(sip.remove("alice@imp.test", "bob@lync.test"));
  EXPECT_EQ(sip.all(), (Subs{{"alice@imp.test", "carol@lync.test", false},
                             {"dave@imp.test", "bob@lync.test", true}}));
  EXPECT_TRUE(sip.remove("alice@imp.test", "bob@lync.test")) << "absent is not an error";
  EXPECT_TRUE(sip.remove("nobody@imp.test", "nobody@lync.test"));
  EXPECT_EQ(sip.all().size(), 2u);
}

TEST_P(StoreSuite, AllSipSubscriptionsAreOrderedByWatcherThenPresentity) {
  SipSubscriptionStore& sip = store().sipSubscriptions();
  ASSERT_TRUE(sip.put({"carol@imp.test", "a@lync.test", false}));
  ASSERT_TRUE(sip.put({"alice@imp.test", "z@lync.test", true}));
  ASSERT_TRUE(sip.put({"alice@imp.test", "b@lync.test", false}));
  // Bytewise: uppercase sorts before lowercase, as std::string compares.
  ASSERT_TRUE(sip.put({"alice@imp.test", "Y@lync.test", false}));
  EXPECT_EQ(sip.all(), (Subs{{"alice@imp.test", "Y@lync.test", false},
                             {"alice@imp.test", "b@lync.test", false},
                             {"alice@imp.test", "z@lync.test", true},
                             {"carol@imp.test", "a@lync.test", false}}));
}

TEST_P(StoreSuite, RemoveUserDropsOnlyThatWatchersSipSubscriptions) {
  SipSubscriptionStore& sip = store().sipSubscriptions();
  ASSERT_TRUE(sip.put({"alice@imp.test", "bob@lync.test", true}));
  ASSERT_TRUE(sip.put({"alice@imp.test", "carol@lync.test", false}));
  ASSERT_TRUE(sip.put({"dave@imp.test", "bob@lync.test", true}));
  ASSERT_TRUE(sip.removeUser("alice@imp.test"));
  EXPECT_EQ(sip.all(), (Subs{{"dave@imp.test", "bob@lync.test", true}}));
  EXPECT_TRUE(sip.removeUser("nobody@imp.test"));
}

TEST_P(StoreSuite, DeleteAccountRemovesTheUsersSipSubscriptions) {
  ASSERT_TRUE(users().add(sampleUser("alice@imp.test")));
  ASSERT_TRUE(users().add(sampleUser("dave@imp.test")));
  SipSubscriptionStore& sip = store().sipSubscriptions();
  ASSERT_TRUE(sip.put({"alice@imp.test", "bob@lync.test", true}));
  ASSERT_TRUE(sip.put({"dave@imp.test", "bob@lync.test", false}));
  ASSERT_TRUE(store().deleteAccount("alice@imp.test"));
  EXPECT_EQ(sip.all(), (Subs{{"dave@imp.test", "bob@lync.test", false}}));
}

// What start-up reads back is what the previous run wrote.
TEST_P(StoreSuite, SipSubscriptionsSurviveReopening) {
  ASSERT_TRUE(store().sipSubscriptions().put({"alice@imp.test", "bob@lync.test", true}));
  ASSERT_TRUE(store().sipSubscriptions().put({"dave@imp.test", "bob@lync.test", false}));
  reopen();
  EXPECT_EQ(store().sipSubscriptions().all(), (Subs{{"alice@imp.test", "bob@lync.test", true},
                                                    {"dave@imp.test", "bob@lync.test", false}}));
}

using Watchers = std::vector<SipWatcher>;

TEST_P(StoreSuite, SipWatchersArePutReplacedAndRemovedByKey) {
  SipWatcherStore& w = store().sipWatchers();
  EXPECT_TRUE(w.all().empty());
  ASSERT_TRUE(w.put({"k2", "alice@imp.test", "bob@lync.test", "{}"}));
  ASSERT_TRUE(w.put({"k1", "dave@imp.test", "bob@lync.test", "{\"a\":1}"}));
  ASSERT_TRUE(w.put({"k2", "alice@imp.test", "bob@lync.test", "{\"b\":2}"}));
  EXPECT_EQ(w.all(), (Watchers{{"k1", "dave@imp.test", "bob@lync.test", "{\"a\":1}"},
                               {"k2", "alice@imp.test", "bob@lync.test", "{\"b\":2}"}}));
  ASSERT_TRUE(w.remove("k1"));
  EXPECT_TRUE(w.remove("k1")) << "absent is not an error";
  EXPECT_EQ(w.all().size(), 1u);
}

TEST_P(StoreSuite, SipWatchersOfADeletedAccountGoWithIt) {
  ASSERT_TRUE(users().add(sampleUser("alice@imp.test")));
  SipWatcherStore& w = store().sipWatchers();
  ASSERT_TRUE(w.put({"k1", "alice@imp.test", "bob@lync.test", "{}"}));
  ASSERT_TRUE(w.put({"k2", "dave@imp.test", "bob@lync.test", "{}"}));
  ASSERT_TRUE(store().deleteAccount("alice@imp.test"));
  EXPECT_EQ(w.all(), (Watchers{{"k2", "dave@imp.test", "bob@lync.test", "{}"}}));
  reopen();
  EXPECT_EQ(store().sipWatchers().all(), (Watchers{{"k2", "dave@imp.test", "bob@lync.test", "{}"}}));
}

}  // namespace
}  // namespace impd::storage::testing
