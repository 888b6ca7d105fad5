#include <string_view>

#include "storage/sqlite/stores.h"

namespace impd::storage::sqlite {

namespace {

// The bare JID's domainpart. A localpart cannot contain '@' (RFC 7622), so the first one
// separates them; a domain-only JID is its own domain.
std::string_view domainOf(std::string_view jid) {
  auto at = jid.find('@');
  return at == std::string_view::npos ? jid : jid.substr(at + 1);
}

Error notFound(const std::string& jid) {
  return makeError("item-not-found", "no such user: " + jid);
}

}  // namespace

Result<void> SqliteUsers::putCredentials(const UserRecord& user) {
  // The slot decides the mechanism, not the record's hash field, so a caller cannot store a
  // SHA-1 set under the SHA-256 name.
  const std::pair<xmpp::ScramHash, const xmpp::ScramCredentials*> sets[] = {
      {xmpp::ScramHash::kSha1, &user.sha1}, {xmpp::ScramHash::kSha256, &user.sha256}};
  for (auto [hash, creds] : sets) {
    auto stmt = db_.prepare(
        "INSERT INTO account_credential"
        " (jid, mechanism, salt, iterations, stored_key, server_key)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        " ON CONFLICT (jid, mechanism) DO UPDATE SET salt = excluded.salt,"
        " iterations = excluded.iterations, stored_key = excluded.stored_key,"
        " server_key = excluded.server_key");
    if (!stmt) return stmt.error();
    stmt->bind(1, user.jid)
        .bind(2, xmpp::scramMechanismName(hash))
        .bindBlob(3, creds->salt)
        .bind(4, static_cast<std::int64_t>(creds->iterations))
        .bindBlob(5, creds->storedKey)
        .bindBlob(6, creds->serverKey);
    if (auto r = stmt->run(); !r) return r;
  }
  return {};
}

Result<void> SqliteUsers::add(const UserRecord& user) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<void> {
    auto stmt = db_.prepare("INSERT INTO account (jid, domain) VALUES (?1, ?2)");
    if (!stmt) return stmt.error();
    auto inserted = stmt->bind(1, user.jid).bind(2, domainOf(user.jid)).run();
    if (!inserted) {
      if (inserted.error().condition == "conflict") {
        return makeError("conflict", "user exists: " + user.jid);
      }
      return inserted;
    }
    return putCredentials(user);
  });
}

Result<void> SqliteUsers::remove(const std::string& jid) {
  auto lock = db_.lock();
  auto stmt = db_.prepare("DELETE FROM account WHERE jid = ?1");
  if (!stmt) return stmt.error();
  if (auto r = stmt->bind(1, jid).run(); !r) return r;
  return db_.changes() > 0 ? Result<void>() : notFound(jid);
}

Result<void> SqliteUsers::update(const UserRecord& user) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<void> {
    auto exists = db_.prepare("SELECT 1 FROM account WHERE jid = ?1");
    if (!exists) return exists.error();
    auto row = exists->bind(1, user.jid).step();
    if (!row) return row.error();
    if (!*row) return notFound(user.jid);
    return putCredentials(user);
  });
}

std::optional<UserRecord> SqliteUsers::find(const std::string& jid) {
  auto lock = db_.lock();
  auto found = [&]() -> Result<std::optional<UserRecord>> {
    auto stmt = db_.prepare(
        "SELECT c.mechanism, c.salt, c.iterations, c.stored_key, c.server_key"
        " FROM account a LEFT JOIN account_credential c ON c.jid = a.jid WHERE a.jid = ?1");
    if (!stmt) return stmt.error();
    stmt->bind(1, jid);
    std::optional<UserRecord> record;
    auto read = stmt->eachRow([&](const Statement& row) {
      if (!record) {
        record.emplace();
        record->jid = jid;
        record->sha1.hash = xmpp::ScramHash::kSha1;
        record->sha256.hash = xmpp::ScramHash::kSha256;
      }
      std::string mechanism = row.text(0);
      xmpp::ScramCredentials* creds = nullptr;
      if (mechanism == xmpp::scramMechanismName(xmpp::ScramHash::kSha1)) creds = &record->sha1;
      if (mechanism == xmpp::scramMechanismName(xmpp::ScramHash::kSha256)) creds = &record->sha256;
      if (creds == nullptr) return;  // no credentials at all (LEFT JOIN) or a newer hash
      creds->salt = row.blob(1);
      creds->iterations = static_cast<std::uint32_t>(row.integer(2));
      creds->storedKey = row.blob(3);
      creds->serverKey = row.blob(4);
    });
    if (!read) return read.error();
    return record;
  }();
  return valueOrLog(std::move(found), "users.find");
}

std::vector<std::string> SqliteUsers::list(const std::string& domain) {
  auto lock = db_.lock();
  auto listed = [&]() -> Result<std::vector<std::string>> {
    auto stmt = domain.empty()
                    ? db_.prepare("SELECT jid FROM account ORDER BY jid")
                    : db_.prepare("SELECT jid FROM account WHERE domain = ?1 ORDER BY jid");
    if (!stmt) return stmt.error();
    if (!domain.empty()) stmt->bind(1, domain);
    std::vector<std::string> jids;
    auto read = stmt->eachRow([&](const Statement& row) { jids.push_back(row.text(0)); });
    if (!read) return read.error();
    return jids;
  }();
  return valueOrLog(std::move(listed), "users.list");
}

}  // namespace impd::storage::sqlite
