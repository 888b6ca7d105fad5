#include "store_suite.h"

namespace impd::storage::testing {

UserRecord sampleUser(const std::string& jid, char seed) {
  UserRecord u;
  u.jid = jid;
  u.sha1 = {xmpp::ScramHash::kSha1, std::string("s1\0\xff", 4) + seed, 4096, std::string(20, seed),
            std::string("\0k1", 3) + seed};
  u.sha256 = {xmpp::ScramHash::kSha256, std::string("s256\0", 5) + seed, 8192,
              std::string(32, seed), std::string(31, '\xff') + seed};
  return u;
}

namespace {

void expectSameCredentials(const xmpp::ScramCredentials& a, const xmpp::ScramCredentials& b) {
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.salt, b.salt);
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_EQ(a.storedKey, b.storedKey);
  EXPECT_EQ(a.serverKey, b.serverKey);
}

TEST_P(StoreSuite, AddedUserIsFoundWithBothCredentialSets) {
  UserRecord alice = sampleUser("alice@imp.test");
  ASSERT_TRUE(users().add(alice));
  auto found = users().find("alice@imp.test");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->jid, "alice@imp.test");
  expectSameCredentials(found->sha1, alice.sha1);
  expectSameCredentials(found->sha256, alice.sha256);
}

TEST_P(StoreSuite, AddingAnExistingUserIsConflict) {
  ASSERT_TRUE(users().add(sampleUser("alice@imp.test")));
  auto again = users().add(sampleUser("alice@imp.test", 'b'));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().condition, "conflict");
  EXPECT_EQ(users().find("alice@imp.test")->sha1.storedKey, std::string(20, 'a'));
}

TEST_P(StoreSuite, UnknownUserIsNotFound) {
  EXPECT_FALSE(users().find("nobody@imp.test"));
}

TEST_P(StoreSuite, RemoveDeletesTheUser) {
  ASSERT_TRUE(users().add(sampleUser("alice@imp.test")));
  ASSERT_TRUE(users().remove("alice@imp.test"));
  EXPECT_FALSE(users().find("alice@imp.test"));
  // And the JID is free again.
  EXPECT_TRUE(users().add(sampleUser("alice@imp.test")));
}

TEST_P(StoreSuite, RemovingAnUnknownUserIsItemNotFound) {
  auto removed = users().remove("nobody@imp.test");
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().condition, "item-not-found");
}

TEST_P(StoreSuite, UpdateReplacesBothCredentialSets) {
  ASSERT_TRUE(users().add(sampleUser("alice@imp.test", 'a')));
  UserRecord changed = sampleUser("alice@imp.test", 'z');
  ASSERT_TRUE(users().update(changed));
  auto found = users().find("alice@imp.test");
  ASSERT_TRUE(found);
  expectSameCredentials(found->sha1, changed.sha1);
  expectSameCredentials(found->sha256, changed.sha256);
}

TEST_P(StoreSuite, UpdatingAnUnknownUserIsItemNotFound) {
  auto updated = users().update(sampleUser("nobody@imp.test"));
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().condition, "item-not-found");
  EXPECT_FALSE(users().find("nobody@imp.test"));
}

TEST_P(StoreSuite, ListIsSortedAndFiltersByExactDomain) {
  for (const char* jid : {"carol@imp.test", "alice@imp.test", "dave@sub.imp.test", "bob@other.test",
                          "erin@imp.test"}) {
    ASSERT_TRUE(users().add(sampleUser(jid)));
  }
  EXPECT_EQ(users().list(),
            (std::vector<std::string>{"alice@imp.test", "bob@other.test", "carol@imp.test",
                                      "dave@sub.imp.test", "erin@imp.test"}));
  EXPECT_EQ(users().list("imp.test"),
            (std::vector<std::string>{"alice@imp.test", "carol@imp.test", "erin@imp.test"}));
  EXPECT_EQ(users().list("sub.imp.test"), std::vector<std::string>{"dave@sub.imp.test"});
  EXPECT_TRUE(users().list("none.test").empty());
}

TEST_P(StoreSuite, NonAsciiJidsRoundTrip) {
  const std::string jid = "ünïcödé@bücher.test";
  ASSERT_TRUE(users().add(sampleUser(jid)));
  ASSERT_TRUE(users().find(jid));
  EXPECT_EQ(users().list("bücher.test"), std::vector<std::string>{jid});
}

TEST_P(StoreSuite, AnotherConnectionSeesAddedUsers) {
  ASSERT_TRUE(users().add(sampleUser("alice@imp.test")));
  auto other = harness_->open();
  ASSERT_NE(other, nullptr);
  EXPECT_TRUE(other->users().find("alice@imp.test"));
  ASSERT_TRUE(other->users().remove("alice@imp.test"));
  EXPECT_FALSE(users().find("alice@imp.test"));
}

TEST_P(StoreSuite, DataSurvivesReopening) {
  ASSERT_TRUE(users().add(sampleUser("alice@imp.test")));
  ASSERT_TRUE(offline().push("alice@imp.test", "<message/>", 10));
  reopen();
  EXPECT_TRUE(users().find("alice@imp.test"));
  EXPECT_EQ(offline().count("alice@imp.test"), 1u);
}

}  // namespace
}  // namespace impd::storage::testing
