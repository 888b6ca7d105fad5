// Whole-store behaviour: account deletion, and use from several threads and connections.
#include <atomic>
#include <thread>

#include "store_suite.h"

namespace impd::storage::testing {
namespace {

RosterItem contact(const std::string& jid) {
  RosterItem item;
  item.contact = jid;
  item.subscription = Subscription::kBoth;
  return item;
}

TEST_P(StoreSuite, DeleteAccountRemovesEverythingTheUserOwns) {
  ASSERT_TRUE(users().add(sampleUser("alice@imp.test")));
  ASSERT_TRUE(users().add(sampleUser("bob@imp.test")));
  ASSERT_TRUE(roster().put("alice@imp.test", contact("bob@imp.test")));
  ASSERT_TRUE(roster().put("bob@imp.test", contact("alice@imp.test")));
  ASSERT_TRUE(offline().push("alice@imp.test", "<message/>", 10));
  ASSERT_TRUE(offline().push("bob@imp.test", "<message/>", 10));
  ASSERT_TRUE(privacy().block("alice@imp.test", {"spam.test"}));
  ASSERT_TRUE(privacy().block("bob@imp.test", {"spam.test"}));

  ASSERT_TRUE(store().deleteAccount("alice@imp.test"));

  EXPECT_FALSE(users().find("alice@imp.test"));
  EXPECT_TRUE(roster().items("alice@imp.test").empty());
  EXPECT_EQ(offline().count("alice@imp.test"), 0u);
  EXPECT_TRUE(privacy().blocklist("alice@imp.test").empty());
  // Other users' data is theirs, even where it mentions the deleted user.
  EXPECT_TRUE(users().find("bob@imp.test"));
  EXPECT_TRUE(roster().item("bob@imp.test", "alice@imp.test"));
  EXPECT_EQ(offline().count("bob@imp.test"), 1u);
  EXPECT_EQ(privacy().blocklist("bob@imp.test").size(), 1u);
}

TEST_P(StoreSuite, DeletingAnUnknownAccountIsItemNotFound) {
  ASSERT_TRUE(offline().push("ghost@imp.test", "<message/>", 10));
  auto deleted = store().deleteAccount("ghost@imp.test");
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().condition, "item-not-found");
  EXPECT_EQ(offline().count("ghost@imp.test"), 1u);  // untouched: nothing was deleted
}

// The server's storage thread and an admin thread share one Store.
TEST_P(StoreSuite, OneStoreIsSafeToUseFromManyThreads) {
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string owner = "user" + std::to_string(t) + "@imp.test";
      for (int i = 0; i < kEach; ++i) {
        if (!offline().push("shared@imp.test", "<message/>", 1'000'000)) ++failures;
        if (!roster().put(owner, contact("c" + std::to_string(i) + "@imp.test"))) ++failures;
        (void)roster().items(owner);
        (void)offline().count("shared@imp.test");
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(offline().count("shared@imp.test"), static_cast<std::size_t>(kThreads * kEach));
  for (int t = 0; t < kThreads; ++t) {
    std::string owner = "user" + std::to_string(t) + "@imp.test";
    EXPECT_EQ(roster().items(owner).size(), static_cast<std::size_t>(kEach));
    EXPECT_EQ(roster().version(owner), static_cast<std::uint64_t>(kEach));
  }
}

// impctl writing while impd writes: separate connections to one database.
TEST_P(StoreSuite, TwoConnectionsCanWriteAtTheSameTime) {
  auto second = harness_->open();
  ASSERT_NE(second, nullptr);
  constexpr int kEach = 20;
  std::atomic<int> failures{0};
  auto writer = [&](Store* s, const std::string& prefix) {
    for (int i = 0; i < kEach; ++i) {
      if (!s->users().add(sampleUser(prefix + std::to_string(i) + "@imp.test"))) ++failures;
      if (!s->offline().push("shared@imp.test", "<message/>", 1'000'000)) ++failures;
    }
  };
  std::thread a(writer, store_.get(), "a");
  std::thread b(writer, second.get(), "b");
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(users().list().size(), static_cast<std::size_t>(2 * kEach));
  EXPECT_EQ(second->offline().count("shared@imp.test"), static_cast<std::size_t>(2 * kEach));
}

// The limit holds across connections: two writers racing for the last slot cannot both win.
TEST_P(StoreSuite, OfflineLimitHoldsAcrossConnections) {
  auto second = harness_->open();
  ASSERT_NE(second, nullptr);
  constexpr std::size_t kLimit = 30;
  std::atomic<int> accepted{0};
  auto writer = [&](Store* s) {
    for (int i = 0; i < 25; ++i) {
      if (s->offline().push("alice@imp.test", "<message/>", kLimit)) ++accepted;
    }
  };
  std::thread a(writer, store_.get());
  std::thread b(writer, second.get());
  a.join();
  b.join();
  EXPECT_EQ(accepted.load(), static_cast<int>(kLimit));
  EXPECT_EQ(offline().count("alice@imp.test"), kLimit);
}

}  // namespace
}  // namespace impd::storage::testing
