#include "storage/cached_roster.h"

#include <algorithm>

namespace impd::storage {

RosterStore::Items CachedRosterStore::touch(const std::string& user) {
  auto found = entries_.find(user);
  if (found == entries_.end()) return nullptr;
  recent_.splice(recent_.begin(), recent_, found->second.recent);
  return found->second.items;
}

void CachedRosterStore::insert(const std::string& user, Items items) {
  // An empty roster is left out: reading it again costs one indexed lookup, and its user has
  // nobody to fan out to. Kept, it would cost an entry per such user and count for nothing.
  if (items->empty() || items->size() > maxItems_) return;
  if (auto found = entries_.find(user); found != entries_.end()) drop(found);
  itemCount_ += items->size();
  recent_.push_front(user);
  entries_.emplace(user, Entry{std::move(items), recent_.begin()});
  while (itemCount_ > maxItems_) drop(entries_.find(recent_.back()));
}

void CachedRosterStore::drop(Entries::iterator entry) {
  itemCount_ -= entry->second.items->size();
  recent_.erase(entry->second.recent);
  entries_.erase(entry);
}

void CachedRosterStore::invalidate(const std::string& user) {
  std::lock_guard lock(mutex_);
  ++generation_;
  if (auto found = entries_.find(user); found != entries_.end()) drop(found);
}

RosterStore::Items CachedRosterStore::cachedItems(const std::string& user) {
  std::lock_guard lock(mutex_);
  return touch(user);
}

RosterStore::Items CachedRosterStore::sharedItems(const std::string& user) {
  std::uint64_t before = 0;
  {
    std::lock_guard lock(mutex_);
    if (Items hit = touch(user)) return hit;
    before = generation_;
  }
  auto loaded = std::make_shared<const std::vector<RosterItem>>(inner_.items(user));
  std::lock_guard lock(mutex_);
  if (generation_ == before) insert(user, loaded);
  return loaded;
}

std::optional<RosterItem> CachedRosterStore::item(const std::string& user,
                                                  const std::string& contact) {
  if (Items hit = cachedItems(user)) {
    auto found = std::find_if(hit->begin(), hit->end(),
                              [&](const RosterItem& i) { return i.contact == contact; });
    if (found == hit->end()) return std::nullopt;
    return *found;
  }
  return inner_.item(user, contact);
}

Result<std::uint64_t> CachedRosterStore::put(const std::string& user, const RosterItem& item) {
  auto written = inner_.put(user, item);
  invalidate(user);  // also after a failure: the write may have got part of the way
  return written;
}

Result<std::uint64_t> CachedRosterStore::remove(const std::string& user,
                                                const std::string& contact) {
  auto written = inner_.remove(user, contact);
  invalidate(user);
  return written;
}

Result<void> CachedRosterStore::removeUser(const std::string& user) {
  auto removed = inner_.removeUser(user);
  invalidate(user);
  return removed;
}

std::size_t CachedRosterStore::cachedUsers() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace impd::storage
