#pragma once
// The SQLite implementations of each store interface. Each method takes the connection lock
// for its whole duration, so a method is atomic with respect to the other threads of this
// process, and write methods are transactions with respect to other processes.
#include "storage/offline.h"
#include "storage/privacy.h"
#include "storage/roster.h"
#include "storage/sip_subscriptions.h"
#include "storage/sqlite/database.h"
#include "storage/users.h"

namespace impd::storage::sqlite {

class SqliteUsers final : public UserStore {
 public:
  explicit SqliteUsers(Database& db) : db_(db) {}
  Result<void> add(const UserRecord& user) override;
  Result<void> remove(const std::string& jid) override;
  Result<void> update(const UserRecord& user) override;
  std::optional<UserRecord> find(const std::string& jid) override;
  std::vector<std::string> list(const std::string& domain) override;

 private:
  Result<void> putCredentials(const UserRecord& user);
  Database& db_;
};

class SqliteRoster final : public RosterStore {
 public:
  explicit SqliteRoster(Database& db) : db_(db) {}
  std::vector<RosterItem> items(const std::string& user) override;
  std::optional<RosterItem> item(const std::string& user, const std::string& contact) override;
  Result<std::uint64_t> put(const std::string& user, const RosterItem& item) override;
  Result<std::uint64_t> remove(const std::string& user, const std::string& contact) override;
  std::uint64_t version(const std::string& user) override;
  std::vector<std::string> usersWithContact(const std::string& contact) override;
  Result<void> removeUser(const std::string& user) override;

 private:
  Result<std::vector<RosterItem>> select(const std::string& user, const std::string* contact);
  Result<std::uint64_t> bumpVersion(const std::string& user);
  Result<std::uint64_t> currentVersion(const std::string& user);
  Database& db_;
};

class SqliteOffline final : public OfflineStore {
 public:
  explicit SqliteOffline(Database& db) : db_(db) {}
  Result<void> push(const std::string& user, const std::string& stanza, std::size_t limit) override;
  std::vector<OfflineMessage> popAll(const std::string& user) override;
  std::size_t count(const std::string& user) override;
  Result<void> removeUser(const std::string& user) override;

 private:
  Database& db_;
};

class SqlitePrivacy final : public PrivacyStore {
 public:
  explicit SqlitePrivacy(Database& db) : db_(db) {}
  PrivacyPolicy policy(const std::string& user) override;
  Result<void> setPolicy(const std::string& user, const PrivacyPolicy& policy) override;
  Result<void> putEntries(const std::string& user, const std::vector<PolicyEntry>& entries) override;
  std::vector<std::string> blocklist(const std::string& user) override;
  Result<void> block(const std::string& user, const std::vector<std::string>& jids) override;
  Result<void> unblock(const std::string& user, const std::vector<std::string>& jids) override;
  Result<void> unblockAll(const std::string& user) override;
  Result<void> removeUser(const std::string& user) override;

 private:
  Result<void> upsert(const std::string& user, const PolicyEntry& entry);
  Database& db_;
};

class SqliteSipSubscriptions final : public SipSubscriptionStore {
 public:
  explicit SqliteSipSubscriptions(Database& db) : db_(db) {}
  Result<void> put(const SipSubscription& subscription) override;
  Result<void> remove(const std::string& watcher, const std::string& presentity) override;
  std::vector<SipSubscription> all() override;
  Result<void> removeUser(const std::string& watcher) override;

 private:
  Database& db_;
};

class SqliteSipWatchers final : public SipWatcherStore {
 public:
  explicit SqliteSipWatchers(Database& db) : db_(db) {}
  Result<void> put(const SipWatcher& watcher) override;
  Result<void> remove(const std::string& key) override;
  std::vector<SipWatcher> all() override;
  Result<void> removeUser(const std::string& user) override;

 private:
  Database& db_;
};

// Read methods of the interfaces return plain values; a database failure there is logged and
// reads as "nothing stored" rather than crashing the caller.
void logFailure(const char* what, const Error& error);
template <typename T>
T valueOrLog(Result<T> result, const char* what, T fallback = T{}) {
  if (result) return std::move(result).value();
  logFailure(what, result.error());
  return fallback;
}

}  // namespace impd::storage::sqlite
