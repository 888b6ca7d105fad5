// CachedRosterStore in front of an in-memory roster store that counts its reads.
#include "storage/cached_roster.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

namespace impd::storage {
namespace {

class CountingRoster final : public RosterStore {
 public:
  std::vector<RosterItem> items(const std::string& user) override {
    ++reads;
    auto rows = rows_[user];
    if (duringRead) std::exchange(duringRead, nullptr)();  // a write that lands mid-read
    return {rows.begin(), rows.end()};
  }
  std::optional<RosterItem> item(const std::string& user, const std::string& contact) override {
    ++reads;
    for (const auto& i : rows_[user]) {
      if (i.contact == contact) return i;
    }
    return std::nullopt;
  }
  Result<std::uint64_t> put(const std::string& user, const RosterItem& item) override {
    auto& rows = rows_[user];
    std::erase_if(rows, [&](const RosterItem& i) { return i.contact == item.contact; });
    rows.push_back(item);
    return ++version_;
  }
  Result<std::uint64_t> remove(const std::string& user, const std::string& contact) override {
    std::erase_if(rows_[user], [&](const RosterItem& i) { return i.contact == contact; });
    return ++version_;
  }
  std::uint64_t version(const std::string&) override { return version_; }
  std::vector<std::string> usersWithContact(const std::string&) override { return {}; }
  Result<void> removeUser(const std::string& user) override {
    rows_.erase(user);
    return {};
  }

  int reads = 0;
  std::function<void()> duringRead;

 private:
  std::map<std::string, std::vector<RosterItem>> rows_;
  std::uint64_t version_ = 0;
};

RosterItem contact(const std::string& jid) {
  RosterItem item;
  item.contact = jid;
  item.subscription = Subscription::kBoth;
  return item;
}

void add(RosterStore& store, const std::string& user, const std::string& jid) {
  ASSERT_TRUE(store.put(user, contact(jid)));
}

TEST(CachedRosterStore, ReadsTheStoreOnceAndThenAnswersFromMemory) {
  CountingRoster inner;
  add(inner, "juliet@imp.test", "romeo@imp.test");
  CachedRosterStore cache(inner);
  EXPECT_EQ(cache.cachedItems("juliet@imp.test"), nullptr);
  EXPECT_EQ(cache.items("juliet@imp.test").size(), 1u);
  EXPECT_EQ(cache.items("juliet@imp.test").size(), 1u);
  EXPECT_EQ(inner.reads, 1);
  auto held = cache.cachedItems("juliet@imp.test");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->front().contact, "romeo@imp.test");
  EXPECT_EQ(cache.sharedItems("juliet@imp.test"), held);  // the kept copy itself, not another
  EXPECT_TRUE(cache.item("juliet@imp.test", "romeo@imp.test"));
  EXPECT_FALSE(cache.item("juliet@imp.test", "tybalt@imp.test"));
  EXPECT_EQ(inner.reads, 1);
}

TEST(CachedRosterStore, EveryWriteDropsTheUsersCopy) {
  CountingRoster inner;
  add(inner, "juliet@imp.test", "romeo@imp.test");
  CachedRosterStore cache(inner);
  cache.items("juliet@imp.test");
  ASSERT_NE(cache.cachedItems("juliet@imp.test"), nullptr);
  ASSERT_TRUE(cache.put("juliet@imp.test", contact("nurse@imp.test")));
  EXPECT_EQ(cache.cachedItems("juliet@imp.test"), nullptr);
  EXPECT_EQ(cache.items("juliet@imp.test").size(), 2u);
  ASSERT_NE(cache.cachedItems("juliet@imp.test"), nullptr);
  ASSERT_TRUE(cache.remove("juliet@imp.test", "romeo@imp.test"));
  EXPECT_EQ(cache.cachedItems("juliet@imp.test"), nullptr);
  EXPECT_EQ(cache.items("juliet@imp.test").size(), 1u);
  ASSERT_NE(cache.cachedItems("juliet@imp.test"), nullptr);
  ASSERT_TRUE(cache.removeUser("juliet@imp.test"));
  EXPECT_EQ(cache.cachedItems("juliet@imp.test"), nullptr);
  EXPECT_TRUE(cache.items("juliet@imp.test").empty());
}

TEST(CachedRosterStore, AReadOverlappingAWriteIsNotKept) {
  CountingRoster inner;
  add(inner, "juliet@imp.test", "romeo@imp.test");
  CachedRosterStore cache(inner);
  // The read took the old rows; the write commits and invalidates before the read returns.
  inner.duringRead = [&] { add(cache, "juliet@imp.test", "nurse@imp.test"); };
  EXPECT_EQ(cache.items("juliet@imp.test").size(), 1u);
  EXPECT_EQ(cache.cachedItems("juliet@imp.test"), nullptr);
  EXPECT_EQ(cache.items("juliet@imp.test").size(), 2u);
  EXPECT_NE(cache.cachedItems("juliet@imp.test"), nullptr);
}

TEST(CachedRosterStore, KeepsAtMostItsItemCountDroppingTheLeastRecentlyUsed) {
  CountingRoster inner;
  for (const char* user : {"a@imp.test", "b@imp.test", "c@imp.test"}) {
    add(inner, user, "x@imp.test");
    add(inner, user, "y@imp.test");
  }
  CachedRosterStore cache(inner, 4);
  cache.items("a@imp.test");
  cache.items("b@imp.test");
  EXPECT_EQ(cache.cachedUsers(), 2u);
  cache.cachedItems("a@imp.test");  // a is now the most recently used
  cache.items("c@imp.test");
  EXPECT_EQ(cache.cachedUsers(), 2u);
  EXPECT_NE(cache.cachedItems("a@imp.test"), nullptr);
  EXPECT_EQ(cache.cachedItems("b@imp.test"), nullptr);
  EXPECT_NE(cache.cachedItems("c@imp.test"), nullptr);
}

TEST(CachedRosterStore, AnEmptyRosterIsNotKept) {
  CountingRoster inner;
  CachedRosterStore cache(inner);
  EXPECT_TRUE(cache.items("a@imp.test").empty());
  EXPECT_EQ(cache.cachedUsers(), 0u);
}

TEST(CachedRosterStore, ARosterLargerThanTheWholeCacheIsNotKept) {
  CountingRoster inner;
  for (int i = 0; i < 5; ++i) add(inner, "a@imp.test", "c" + std::to_string(i) + "@imp.test");
  CachedRosterStore cache(inner, 4);
  EXPECT_EQ(cache.items("a@imp.test").size(), 5u);
  EXPECT_EQ(cache.cachedUsers(), 0u);
}

}  // namespace
}  // namespace impd::storage
