#pragma once
// Rosters kept in memory in front of a roster store. A user's status change reads the whole
// roster to find who may see it; with many contacts and frequent changes that read, and the
// hop to the blocking worker it needs, cost more than the fan-out itself. Every write through
// this store drops the user's copy, so what it hands out is never older than the last write
// made through it.
//
// Writes that do not go through this object are not seen: another process writing the same
// database (impctl deleting an account) or, once impd runs as a cluster, another node. Such a
// change reaches a cached roster only when the entry is evicted or the user's roster is
// written here again; a cluster backend must invalidate entries across nodes.
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/roster.h"

namespace impd::storage {

class CachedRosterStore final : public RosterStore {
 public:
  // About 200 bytes per item: the default keeps a few tens of megabytes at most.
  static constexpr std::size_t kDefaultMaxItems = 200'000;

  explicit CachedRosterStore(RosterStore& inner, std::size_t maxItems = kDefaultMaxItems)
      : inner_(inner), maxItems_(maxItems) {}

  Items cachedItems(const std::string& user) override;
  Items sharedItems(const std::string& user) override;
  std::vector<RosterItem> items(const std::string& user) override { return *sharedItems(user); }
  std::optional<RosterItem> item(const std::string& user, const std::string& contact) override;
  Result<std::uint64_t> put(const std::string& user, const RosterItem& item) override;
  Result<std::uint64_t> remove(const std::string& user, const std::string& contact) override;
  std::uint64_t version(const std::string& user) override { return inner_.version(user); }
  std::vector<std::string> usersWithContact(const std::string& contact) override {
    return inner_.usersWithContact(contact);
  }
  Result<void> removeUser(const std::string& user) override;

  std::size_t cachedUsers() const;

 private:
  struct Entry {
    Items items;
    std::list<std::string>::iterator recent;  // its place in recent_
  };

  using Entries = std::unordered_map<std::string, Entry>;

  // These three expect mutex_ held.
  Items touch(const std::string& user);  // marks the entry most recently used
  void insert(const std::string& user, Items items);
  void drop(Entries::iterator entry);

  void invalidate(const std::string& user);

  RosterStore& inner_;
  const std::size_t maxItems_;
  mutable std::mutex mutex_;
  Entries entries_;
  std::list<std::string> recent_;  // most recently used first
  std::size_t itemCount_ = 0;
  // Bumped by every write, after it reached the store. A read that began before a write
  // ended may have seen the old rows, so it is not cached when the count moved meanwhile.
  std::uint64_t generation_ = 0;
};

}  // namespace impd::storage
