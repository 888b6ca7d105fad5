#include "storage/sqlite/stores.h"

namespace impd::storage::sqlite {

namespace {

// Rows written by this code always hold known words; anything else reads as the safer value.
PolicyEntry entryFromRow(const Statement& row) {
  PolicyEntry e;
  e.jid = row.text(0);
  e.action = parseAction(row.text(1)).value_or(PolicyAction::kBlock);
  e.scope = parseScope(row.text(2)).value_or(PolicyScope::kAll);
  return e;
}

}  // namespace

PrivacyPolicy SqlitePrivacy::policy(const std::string& user) {
  auto lock = db_.lock();
  auto read = [&]() -> Result<PrivacyPolicy> {
    PrivacyPolicy p;
    auto setting =
        db_.prepare("SELECT federated_default, list_name FROM privacy_setting WHERE owner = ?1");
    if (!setting) return setting.error();
    auto r = setting->bind(1, user).eachRow([&](const Statement& row) {
      p.federatedDefault = parseWatcherDefault(row.text(0)).value_or(WatcherDefault::kAsk);
      p.listName = row.text(1);
    });
    if (!r) return r.error();
    // BINARY collation compares bytes like std::string does, so "sorted" means the same thing
    // to callers that binary-search the entries.
    auto entries = db_.prepare(
        "SELECT jid, action, scope FROM privacy_entry WHERE owner = ?1 ORDER BY jid");
    if (!entries) return entries.error();
    r = entries->bind(1, user).eachRow(
        [&](const Statement& row) { p.entries.push_back(entryFromRow(row)); });
    if (!r) return r.error();
    return p;
  }();
  return valueOrLog(std::move(read), "privacy.policy");
}

Result<void> SqlitePrivacy::upsert(const std::string& user, const PolicyEntry& entry) {
  auto stmt = db_.prepare(
      "INSERT INTO privacy_entry (owner, jid, action, scope) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (owner, jid) DO UPDATE SET action = excluded.action, scope = excluded.scope");
  if (!stmt) return stmt.error();
  return stmt->bind(1, user)
      .bind(2, entry.jid)
      .bind(3, actionName(entry.action))
      .bind(4, scopeName(entry.scope))
      .run();
}

Result<void> SqlitePrivacy::setPolicy(const std::string& user, const PrivacyPolicy& policy) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<void> {
    auto clear = db_.prepare("DELETE FROM privacy_entry WHERE owner = ?1");
    if (!clear) return clear.error();
    if (auto r = clear->bind(1, user).run(); !r) return r;
    for (const PolicyEntry& e : policy.entries) {
      if (auto r = upsert(user, e); !r) return r;
    }
    auto setting = db_.prepare(
        "INSERT INTO privacy_setting (owner, federated_default, list_name) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (owner) DO UPDATE SET federated_default = excluded.federated_default, "
        "list_name = excluded.list_name");
    if (!setting) return setting.error();
    return setting->bind(1, user)
        .bind(2, watcherDefaultName(policy.federatedDefault))
        .bind(3, policy.listName)
        .run();
  });
}

Result<void> SqlitePrivacy::putEntries(const std::string& user,
                                       const std::vector<PolicyEntry>& entries) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<void> {
    for (const PolicyEntry& e : entries) {
      if (auto r = upsert(user, e); !r) return r;
    }
    return {};
  });
}

std::vector<std::string> SqlitePrivacy::blocklist(const std::string& user) {
  auto lock = db_.lock();
  auto listed = [&]() -> Result<std::vector<std::string>> {
    auto stmt = db_.prepare(
        "SELECT jid FROM privacy_entry WHERE owner = ?1 AND action = 'block' AND scope = 'all' "
        "ORDER BY jid");
    if (!stmt) return stmt.error();
    std::vector<std::string> jids;
    auto read =
        stmt->bind(1, user).eachRow([&](const Statement& row) { jids.push_back(row.text(0)); });
    if (!read) return read.error();
    return jids;
  }();
  return valueOrLog(std::move(listed), "privacy.blocklist");
}

Result<void> SqlitePrivacy::block(const std::string& user, const std::vector<std::string>& jids) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<void> {
    for (const std::string& jid : jids) {
      if (auto r = upsert(user, {jid, PolicyAction::kBlock, PolicyScope::kAll}); !r) return r;
    }
    return {};
  });
}

Result<void> SqlitePrivacy::unblock(const std::string& user, const std::vector<std::string>& jids) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<void> {
    for (const std::string& jid : jids) {
      auto stmt = db_.prepare(
          "DELETE FROM privacy_entry WHERE owner = ?1 AND jid = ?2 AND action = 'block' AND "
          "scope = 'all'");
      if (!stmt) return stmt.error();
      if (auto r = stmt->bind(1, user).bind(2, jid).run(); !r) return r;
    }
    return {};
  });
}

Result<void> SqlitePrivacy::unblockAll(const std::string& user) {
  auto lock = db_.lock();
  auto stmt = db_.prepare(
      "DELETE FROM privacy_entry WHERE owner = ?1 AND action = 'block' AND scope = 'all'");
  if (!stmt) return stmt.error();
  return stmt->bind(1, user).run();
}

Result<void> SqlitePrivacy::removeUser(const std::string& user) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<void> {
    for (const char* sql : {"DELETE FROM privacy_entry WHERE owner = ?1",
                            "DELETE FROM privacy_setting WHERE owner = ?1"}) {
      auto stmt = db_.prepare(sql);
      if (!stmt) return stmt.error();
      if (auto r = stmt->bind(1, user).run(); !r) return r;
    }
    return {};
  });
}

}  // namespace impd::storage::sqlite
