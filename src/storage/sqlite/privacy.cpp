#include "storage/sqlite/stores.h"

namespace impd::storage::sqlite {

std::vector<std::string> SqlitePrivacy::blocklist(const std::string& user) {
  auto lock = db_.lock();
  auto listed = [&]() -> Result<std::vector<std::string>> {
    // BINARY collation compares bytes like std::string does, so "sorted" means the same thing
    // to callers that merge or binary-search this list.
    auto stmt = db_.prepare("SELECT jid FROM blocked WHERE owner = ?1 ORDER BY jid");
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
      auto stmt = db_.prepare(
          "INSERT INTO blocked (owner, jid) VALUES (?1, ?2) ON CONFLICT (owner, jid) DO NOTHING");
      if (!stmt) return stmt.error();
      if (auto r = stmt->bind(1, user).bind(2, jid).run(); !r) return r;
    }
    return {};
  });
}

Result<void> SqlitePrivacy::unblock(const std::string& user, const std::vector<std::string>& jids) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<void> {
    for (const std::string& jid : jids) {
      auto stmt = db_.prepare("DELETE FROM blocked WHERE owner = ?1 AND jid = ?2");
      if (!stmt) return stmt.error();
      if (auto r = stmt->bind(1, user).bind(2, jid).run(); !r) return r;
    }
    return {};
  });
}

Result<void> SqlitePrivacy::unblockAll(const std::string& user) {
  auto lock = db_.lock();
  auto stmt = db_.prepare("DELETE FROM blocked WHERE owner = ?1");
  if (!stmt) return stmt.error();
  return stmt->bind(1, user).run();
}

}  // namespace impd::storage::sqlite
