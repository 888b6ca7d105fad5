#include "storage/sqlite/migrations.h"

#include <string>

namespace impd::storage::sqlite {

const std::vector<Migration>& migrations() {
  // Owner and contact columns hold prepared bare JIDs. Per-user rows do not reference the
  // account table: the store interfaces allow data for an address before (or without) an
  // account, and Store::deleteAccount removes it explicitly.
  static const std::vector<Migration> all{
      {1,
       {
           "CREATE TABLE account ("
           "  jid TEXT PRIMARY KEY,"
           "  domain TEXT NOT NULL,"  // for user list --domain without parsing every JID
           "  created INTEGER NOT NULL DEFAULT (unixepoch()))",
           "CREATE INDEX account_domain ON account (domain, jid)",
           // One row per SCRAM hash, so adding SCRAM-SHA-512 later needs no new columns.
           "CREATE TABLE account_credential ("
           "  jid TEXT NOT NULL REFERENCES account (jid) ON DELETE CASCADE,"
           "  mechanism TEXT NOT NULL,"
           "  salt BLOB NOT NULL,"
           "  iterations INTEGER NOT NULL,"
           "  stored_key BLOB NOT NULL,"
           "  server_key BLOB NOT NULL,"
           "  PRIMARY KEY (jid, mechanism))",
           "CREATE TABLE roster_item ("
           "  id INTEGER PRIMARY KEY,"
           "  owner TEXT NOT NULL,"
           "  contact TEXT NOT NULL,"
           "  name TEXT NOT NULL DEFAULT '',"
           "  subscription TEXT NOT NULL CHECK (subscription IN ('none', 'to', 'from', 'both')),"
           "  ask_out INTEGER NOT NULL DEFAULT 0,"
           "  pending_in INTEGER NOT NULL DEFAULT 0,"
           "  approved INTEGER NOT NULL DEFAULT 0,"
           "  in_roster INTEGER NOT NULL DEFAULT 1,"
           "  pending_in_stanza TEXT NOT NULL DEFAULT '',"
           "  UNIQUE (owner, contact))",
           "CREATE INDEX roster_item_contact ON roster_item (contact, owner)",
           // A child table rather than a JSON column: groups stay queryable (shared groups
           // later) and the same DDL works on PostgreSQL.
           "CREATE TABLE roster_group ("
           "  item_id INTEGER NOT NULL REFERENCES roster_item (id) ON DELETE CASCADE,"
           "  position INTEGER NOT NULL,"
           "  name TEXT NOT NULL,"
           "  PRIMARY KEY (item_id, position))",
           "CREATE TABLE roster_version ("
           "  owner TEXT PRIMARY KEY,"
           "  version INTEGER NOT NULL)",
           // AUTOINCREMENT: ids never go back, even after the newest message is popped.
           "CREATE TABLE offline_message ("
           "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
           "  owner TEXT NOT NULL,"
           "  stanza TEXT NOT NULL,"
           "  stored INTEGER NOT NULL DEFAULT (unixepoch()))",
           "CREATE INDEX offline_message_owner ON offline_message (owner, id)",
           "CREATE TABLE blocked ("
           "  owner TEXT NOT NULL,"
           "  jid TEXT NOT NULL,"
           "  PRIMARY KEY (owner, jid))",
       }},
      // The blocklist becomes one policy list with allow and presence-only entries, plus the
      // user's default for federated watchers. Existing blocks keep their meaning.
      {2,
       {
           "CREATE TABLE privacy_entry ("
           "  owner TEXT NOT NULL,"
           "  jid TEXT NOT NULL,"
           "  action TEXT NOT NULL CHECK (action IN ('allow', 'block')),"
           "  scope TEXT NOT NULL CHECK (scope IN ('all', 'presence')),"
           "  PRIMARY KEY (owner, jid))",
           "INSERT INTO privacy_entry (owner, jid, action, scope)"
           "  SELECT owner, jid, 'block', 'all' FROM blocked",
           "DROP TABLE blocked",
           "CREATE TABLE privacy_setting ("
           "  owner TEXT PRIMARY KEY,"
           "  federated_default TEXT NOT NULL CHECK (federated_default IN ('ask', 'allow', 'block')),"
           "  list_name TEXT NOT NULL)",
       }},
      // The gateway's outbound SIP subscriptions, so a restart can re-send them. The primary
      // key's order serves both the start-up scan and deletion by watcher.
      {3,
       {
           "CREATE TABLE sip_subscription ("
           "  watcher TEXT NOT NULL,"
           "  presentity TEXT NOT NULL,"
           "  approved INTEGER NOT NULL DEFAULT 0,"
           "  PRIMARY KEY (watcher, presentity))",
       }},
      {4,
       {
           "CREATE TABLE sip_watcher ("
           "  key TEXT PRIMARY KEY,"
           "  user TEXT NOT NULL,"
           "  watcher TEXT NOT NULL,"
           "  state TEXT NOT NULL)",
           "CREATE INDEX sip_watcher_user ON sip_watcher (user)",
       }},
  };
  return all;
}

Result<int> schemaVersion(Database& db) {
  auto stmt = db.prepare("SELECT version FROM schema_version");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return *row ? static_cast<int>(stmt->integer(0)) : 0;
}

Result<void> migrate(Database& db) {
  auto lock = db.lock();
  if (auto r = db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      !r) {
    return r;
  }
  const int newest = migrations().back().version;
  auto tooNew = [&](int current) {
    return makeError("internal-server-error",
                     db.file().string() + ": schema version " + std::to_string(current) +
                         " is newer than this impd supports (" + std::to_string(newest) +
                         "); refusing to touch it");
  };
  // The common case, an up-to-date file, takes no write lock.
  auto start = schemaVersion(db);
  if (!start) return start.error();
  if (*start > newest) return tooNew(*start);
  if (*start == newest) return {};
  for (const Migration& m : migrations()) {
    auto applied = db.transaction([&]() -> Result<void> {
      auto current = schemaVersion(db);
      if (!current) return current.error();
      if (*current > newest) return tooNew(*current);
      if (*current >= m.version) return {};
      for (std::string_view sql : m.statements) {
        if (auto r = db.exec(sql); !r) return r;
      }
      auto set = db.prepare(*current == 0 ? "INSERT INTO schema_version (version) VALUES (?1)"
                                          : "UPDATE schema_version SET version = ?1");
      if (!set) return set.error();
      return set->bind(1, static_cast<std::int64_t>(m.version)).run();
    });
    if (!applied) return applied;
  }
  return {};
}

}  // namespace impd::storage::sqlite
