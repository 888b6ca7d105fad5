#include "storage/accounts.h"

#include <gtest/gtest.h>

#include "codec/xmpp/scram.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"

namespace impd::storage::testing {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = openSqliteStore(dir_.path() / "impd.sqlite");
    ASSERT_TRUE(opened);
    store_ = std::move(opened).value();
    accounts_ = std::make_unique<Accounts>(*store_, std::vector<std::string>{"imp.test", "b.test"},
                                           SecureRandom::instance());
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Accounts> accounts_;
};

TEST_F(AccountsTest, AddStoresScramCredentialsThatVerifyThePassword) {
  auto added = accounts_->add("alice@imp.test", "correct horse");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, "alice@imp.test");
  auto user = store_->users().find("alice@imp.test");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->sha1.hash, xmpp::ScramHash::kSha1);
  EXPECT_EQ(user->sha256.hash, xmpp::ScramHash::kSha256);
  for (const auto* c : {&user->sha1, &user->sha256}) {
    EXPECT_EQ(c->iterations, Accounts::kIterations);
    EXPECT_EQ(c->salt.size(), Accounts::kSaltBytes);
    EXPECT_TRUE(xmpp::verifyPassword(*c, "correct horse"));
    EXPECT_FALSE(xmpp::verifyPassword(*c, "wrong horse"));
  }
  EXPECT_NE(user->sha1.salt, user->sha256.salt);
  EXPECT_EQ(user->sha1.storedKey.size(), 20u);
  EXPECT_EQ(user->sha256.storedKey.size(), 32u);
}

TEST_F(AccountsTest, JidsArePreparedBeforeStoring) {
  auto added = accounts_->add("Alice@IMP.Test", "pw");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, "alice@imp.test");
  EXPECT_EQ(store_->users().list(), std::vector<std::string>{"alice@imp.test"});
  auto again = accounts_->add("ALICE@imp.test", "pw");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().condition, "conflict");
}

TEST_F(AccountsTest, OnlyBareUserJidsOfLocalDomainsAreAccepted) {
  struct Case {
    const char* jid;
    const char* condition;
  };
  for (const Case& c :
       {Case{"alice@imp.test/phone", "jid-malformed"}, Case{"imp.test", "jid-malformed"},
        Case{"@imp.test", "jid-malformed"}, Case{"alice@", "jid-malformed"},
        Case{"alice@elsewhere.test", "item-not-found"}}) {
    auto added = accounts_->add(c.jid, "pw");
    ASSERT_FALSE(added) << c.jid;
    EXPECT_EQ(added.error().condition, c.condition) << c.jid << ": " << added.error().message;
  }
  EXPECT_TRUE(store_->users().list().empty());
}

TEST_F(AccountsTest, AnEmptyPasswordIsRefused) {
  auto added = accounts_->add("alice@imp.test", "");
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().condition, "not-acceptable");
}

TEST_F(AccountsTest, RemoveDeletesTheAccountAndWhatItOwns) {
  ASSERT_TRUE(accounts_->add("alice@imp.test", "pw"));
  ASSERT_TRUE(store_->offline().push("alice@imp.test", "<message/>", 10));
  auto removed = accounts_->remove("Alice@imp.test");
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, "alice@imp.test");
  EXPECT_FALSE(store_->users().find("alice@imp.test"));
  EXPECT_EQ(store_->offline().count("alice@imp.test"), 0u);
  auto again = accounts_->remove("alice@imp.test");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().condition, "item-not-found");
}

TEST_F(AccountsTest, SetPasswordReplacesTheCredentials) {
  ASSERT_TRUE(accounts_->add("alice@imp.test", "old"));
  auto before = store_->users().find("alice@imp.test");
  ASSERT_TRUE(accounts_->setPassword("alice@imp.test", "new"));
  auto after = store_->users().find("alice@imp.test");
  ASSERT_TRUE(after);
  EXPECT_TRUE(xmpp::verifyPassword(after->sha256, "new"));
  EXPECT_FALSE(xmpp::verifyPassword(after->sha256, "old"));
  EXPECT_TRUE(xmpp::verifyPassword(after->sha1, "new"));
  EXPECT_NE(after->sha256.salt, before->sha256.salt);  // a new salt with every password
}

TEST_F(AccountsTest, SetPasswordOfAnUnknownUserIsItemNotFound) {
  auto set = accounts_->setPassword("nobody@imp.test", "pw");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().condition, "item-not-found");
  EXPECT_FALSE(store_->users().find("nobody@imp.test"));
}

TEST_F(AccountsTest, ListIsSortedAndFiltersByLocalDomain) {
  for (const char* jid : {"carol@imp.test", "bob@b.test", "alice@imp.test"}) {
    ASSERT_TRUE(accounts_->add(jid, "pw"));
  }
  auto all = accounts_->list();
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, (std::vector<std::string>{"alice@imp.test", "bob@b.test", "carol@imp.test"}));
  auto one = accounts_->list("IMP.test");
  ASSERT_TRUE(one);
  EXPECT_EQ(*one, (std::vector<std::string>{"alice@imp.test", "carol@imp.test"}));
  auto foreign = accounts_->list("elsewhere.test");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().condition, "item-not-found");
}

}  // namespace
}  // namespace impd::storage::testing
