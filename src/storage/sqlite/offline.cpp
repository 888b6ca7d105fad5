#include "storage/sqlite/stores.h"

namespace impd::storage::sqlite {

Result<void> SqliteOffline::push(const std::string& user, const std::string& stanza,
                                 std::size_t limit) {
  auto lock = db_.lock();
  // Counting and inserting in one write transaction keeps the limit exact even when another
  // process pushes for the same user at the same moment.
  return db_.transaction([&]() -> Result<void> {
    auto counted = db_.prepare("SELECT count(*) FROM offline_message WHERE owner = ?1");
    if (!counted) return counted.error();
    auto row = counted->bind(1, user).step();
    if (!row) return row.error();
    auto stored = static_cast<std::size_t>(counted->integer(0));
    if (stored >= limit) {
      return makeError("resource-constraint", "offline queue of " + user + " is full (" +
                                                  std::to_string(limit) + " messages)");
    }
    auto insert = db_.prepare("INSERT INTO offline_message (owner, stanza) VALUES (?1, ?2)");
    if (!insert) return insert.error();
    return insert->bind(1, user).bind(2, stanza).run();
  });
}

std::vector<OfflineMessage> SqliteOffline::popAll(const std::string& user) {
  auto lock = db_.lock();
  // Almost every sign-in finds nothing stored. A plain read first keeps those off the write
  // lock, which a wave of sign-ins would otherwise take one after another. The probe's loan
  // ends (the statement is reset) before the transaction, so no read snapshot stays open
  // under BEGIN IMMEDIATE; a failed probe leaves the answer to the transaction.
  const bool stored = [&] {
    auto probe = db_.prepare("SELECT 1 FROM offline_message WHERE owner = ?1 LIMIT 1");
    if (!probe) return true;
    auto row = probe->bind(1, user).step();
    return !row || *row;
  }();
  if (!stored) return {};
  auto popped = db_.transaction([&]() -> Result<std::vector<OfflineMessage>> {
    auto select =
        db_.prepare("SELECT id, stanza FROM offline_message WHERE owner = ?1 ORDER BY id");
    if (!select) return select.error();
    std::vector<OfflineMessage> messages;
    auto read = select->bind(1, user).eachRow([&](const Statement& row) {
      messages.push_back({row.integer(0), row.text(1)});
    });
    if (!read) return read.error();
    if (messages.empty()) return messages;
    // Delete exactly the rows returned. The write transaction already keeps other processes
    // from pushing in between; the id bound makes that independent of the isolation level.
    auto erase = db_.prepare("DELETE FROM offline_message WHERE owner = ?1 AND id <= ?2");
    if (!erase) return erase.error();
    if (auto r = erase->bind(1, user).bind(2, messages.back().id).run(); !r) return r.error();
    return messages;
  });
  return valueOrLog(std::move(popped), "offline.popAll");
}

std::size_t SqliteOffline::count(const std::string& user) {
  auto lock = db_.lock();
  auto counted = [&]() -> Result<std::size_t> {
    auto stmt = db_.prepare("SELECT count(*) FROM offline_message WHERE owner = ?1");
    if (!stmt) return stmt.error();
    auto row = stmt->bind(1, user).step();
    if (!row) return row.error();
    return static_cast<std::size_t>(stmt->integer(0));
  }();
  return valueOrLog(std::move(counted), "offline.count");
}

Result<void> SqliteOffline::removeUser(const std::string& user) {
  auto lock = db_.lock();
  auto stmt = db_.prepare("DELETE FROM offline_message WHERE owner = ?1");
  if (!stmt) return stmt.error();
  return stmt->bind(1, user).run();
}

}  // namespace impd::storage::sqlite
