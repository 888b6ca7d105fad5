#include "storage/sqlite/stores.h"

namespace impd::storage::sqlite {

Result<void> SqliteSipSubscriptions::put(const SipSubscription& subscription) {
  auto lock = db_.lock();
  auto stmt = db_.prepare(
      "INSERT INTO sip_subscription (watcher, presentity, approved) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (watcher, presentity) DO UPDATE SET approved = excluded.approved");
  if (!stmt) return stmt.error();
  return stmt->bind(1, subscription.watcher)
      .bind(2, subscription.presentity)
      .bind(3, std::int64_t{subscription.approved ? 1 : 0})
      .run();
}

Result<void> SqliteSipSubscriptions::remove(const std::string& watcher,
                                            const std::string& presentity) {
  auto lock = db_.lock();
  auto stmt =
      db_.prepare("DELETE FROM sip_subscription WHERE watcher = ?1 AND presentity = ?2");
  if (!stmt) return stmt.error();
  return stmt->bind(1, watcher).bind(2, presentity).run();
}

std::vector<SipSubscription> SqliteSipSubscriptions::all() {
  auto lock = db_.lock();
  auto listed = [&]() -> Result<std::vector<SipSubscription>> {
    // BINARY collation orders bytes as std::string does, which is what "ordered" promises.
    auto stmt = db_.prepare(
        "SELECT watcher, presentity, approved FROM sip_subscription "
        "ORDER BY watcher, presentity");
    if (!stmt) return stmt.error();
    std::vector<SipSubscription> subscriptions;
    auto read = stmt->eachRow([&](const Statement& row) {
      subscriptions.push_back({row.text(0), row.text(1), row.integer(2) != 0});
    });
    if (!read) return read.error();
    return subscriptions;
  }();
  return valueOrLog(std::move(listed), "sipSubscriptions.all");
}

Result<void> SqliteSipSubscriptions::removeUser(const std::string& watcher) {
  auto lock = db_.lock();
  auto stmt = db_.prepare("DELETE FROM sip_subscription WHERE watcher = ?1");
  if (!stmt) return stmt.error();
  return stmt->bind(1, watcher).run();
}

Result<void> SqliteSipWatchers::put(const SipWatcher& watcher) {
  auto lock = db_.lock();
  auto stmt = db_.prepare(
      "INSERT INTO sip_watcher (key, user, watcher, state) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (key) DO UPDATE SET user = excluded.user, watcher = excluded.watcher, "
      "state = excluded.state");
  if (!stmt) return stmt.error();
  return stmt->bind(1, watcher.key).bind(2, watcher.user).bind(3, watcher.watcher).bind(4, watcher.state).run();
}

Result<void> SqliteSipWatchers::remove(const std::string& key) {
  auto lock = db_.lock();
  auto stmt = db_.prepare("DELETE FROM sip_watcher WHERE key = ?1");
  if (!stmt) return stmt.error();
  return stmt->bind(1, key).run();
}

std::vector<SipWatcher> SqliteSipWatchers::all() {
  auto lock = db_.lock();
  auto listed = [&]() -> Result<std::vector<SipWatcher>> {
    auto stmt = db_.prepare("SELECT key, user, watcher, state FROM sip_watcher ORDER BY key");
    if (!stmt) return stmt.error();
    std::vector<SipWatcher> watchers;
    auto read = stmt->eachRow([&](const Statement& row) {
      watchers.push_back({row.text(0), row.text(1), row.text(2), row.text(3)});
    });
    if (!read) return read.error();
    return watchers;
  }();
  return valueOrLog(std::move(listed), "sipWatchers.all");
}

Result<void> SqliteSipWatchers::removeUser(const std::string& user) {
  auto lock = db_.lock();
  auto stmt = db_.prepare("DELETE FROM sip_watcher WHERE user = ?1");
  if (!stmt) return stmt.error();
  return stmt->bind(1, user).run();
}

}  // namespace impd::storage::sqlite
