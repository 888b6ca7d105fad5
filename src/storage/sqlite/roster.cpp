#include <algorithm>
#include <map>

#include "storage/sqlite/stores.h"

namespace impd::storage::sqlite {

namespace {

constexpr std::string_view kSubscriptionNames[] = {"none", "to", "from", "both"};

std::string_view subscriptionName(Subscription s) {
  return kSubscriptionNames[static_cast<int>(s)];
}

Subscription subscriptionFromName(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kSubscriptionNames[i] == name) return static_cast<Subscription>(i);
  }
  return Subscription::kNone;  // unreachable: the column has a CHECK constraint
}

}  // namespace

Result<std::vector<RosterItem>> SqliteRoster::select(const std::string& user,
                                                     const std::string* contact) {
  auto stmt = db_.prepare(
      "SELECT id, contact, name, subscription, ask_out, pending_in, approved, in_roster,"
      " pending_in_stanza FROM roster_item"
      " WHERE owner = ?1 AND (?2 IS NULL OR contact = ?2) ORDER BY contact");
  if (!stmt) return stmt.error();
  stmt->bind(1, user);
  if (contact != nullptr) stmt->bind(2, *contact);
  std::vector<RosterItem> items;
  std::map<std::int64_t, std::size_t> indexById;
  auto read = stmt->eachRow([&](const Statement& row) {
    indexById[row.integer(0)] = items.size();
    RosterItem& item = items.emplace_back();
    item.contact = row.text(1);
    item.name = row.text(2);
    item.subscription = subscriptionFromName(row.text(3));
    item.askOut = row.integer(4) != 0;
    item.pendingIn = row.integer(5) != 0;
    item.approved = row.integer(6) != 0;
    item.inRoster = row.integer(7) != 0;
    item.pendingInStanza = row.text(8);
  });
  if (!read) return read.error();
  if (items.empty()) return items;

  auto groups = db_.prepare(
      "SELECT g.item_id, g.name FROM roster_group g JOIN roster_item i ON i.id = g.item_id"
      " WHERE i.owner = ?1 AND (?2 IS NULL OR i.contact = ?2) ORDER BY g.item_id, g.position");
  if (!groups) return groups.error();
  groups->bind(1, user);
  if (contact != nullptr) groups->bind(2, *contact);
  read = groups->eachRow([&](const Statement& row) {
    auto found = indexById.find(row.integer(0));
    if (found != indexById.end()) items[found->second].groups.push_back(row.text(1));
  });
  if (!read) return read.error();
  return items;
}

std::vector<RosterItem> SqliteRoster::items(const std::string& user) {
  auto lock = db_.lock();
  return valueOrLog(select(user, nullptr), "roster.items");
}

std::optional<RosterItem> SqliteRoster::item(const std::string& user, const std::string& contact) {
  auto lock = db_.lock();
  auto found = valueOrLog(select(user, &contact), "roster.item");
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

Result<std::uint64_t> SqliteRoster::currentVersion(const std::string& user) {
  auto stmt = db_.prepare("SELECT version FROM roster_version WHERE owner = ?1");
  if (!stmt) return stmt.error();
  auto row = stmt->bind(1, user).step();
  if (!row) return row.error();
  return *row ? static_cast<std::uint64_t>(stmt->integer(0)) : std::uint64_t{0};
}

Result<std::uint64_t> SqliteRoster::bumpVersion(const std::string& user) {
  auto stmt = db_.prepare(
      "INSERT INTO roster_version (owner, version) VALUES (?1, 1)"
      " ON CONFLICT (owner) DO UPDATE SET version = version + 1 RETURNING version");
  if (!stmt) return stmt.error();
  auto row = stmt->bind(1, user).step();
  if (!row) return row.error();
  auto version = static_cast<std::uint64_t>(stmt->integer(0));
  // RETURNING rows must be stepped to completion for the statement to finish.
  if (auto done = stmt->run(); !done) return done.error();
  return version;
}

Result<std::uint64_t> SqliteRoster::put(const std::string& user, const RosterItem& item) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<std::uint64_t> {
    auto upsert = db_.prepare(
        "INSERT INTO roster_item (owner, contact, name, subscription, ask_out, pending_in,"
        " approved, in_roster, pending_in_stanza) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        " ON CONFLICT (owner, contact) DO UPDATE SET name = excluded.name,"
        " subscription = excluded.subscription, ask_out = excluded.ask_out,"
        " pending_in = excluded.pending_in, approved = excluded.approved,"
        " in_roster = excluded.in_roster, pending_in_stanza = excluded.pending_in_stanza"
        " RETURNING id");
    if (!upsert) return upsert.error();
    upsert->bind(1, user)
        .bind(2, item.contact)
        .bind(3, item.name)
        .bind(4, subscriptionName(item.subscription))
        .bind(5, std::int64_t{item.askOut})
        .bind(6, std::int64_t{item.pendingIn})
        .bind(7, std::int64_t{item.approved})
        .bind(8, std::int64_t{item.inRoster})
        .bind(9, item.pendingInStanza);
    auto row = upsert->step();
    if (!row) return row.error();
    const std::int64_t id = upsert->integer(0);
    if (auto done = upsert->run(); !done) return done.error();

    auto clear = db_.prepare("DELETE FROM roster_group WHERE item_id = ?1");
    if (!clear) return clear.error();
    if (auto r = clear->bind(1, id).run(); !r) return r.error();
    // A group named twice is one group (RFC 6121 2.1.2.5); keep the first position.
    std::vector<std::string_view> seen;
    for (const std::string& group : item.groups) {
      if (std::find(seen.begin(), seen.end(), group) != seen.end()) continue;
      seen.push_back(group);
      auto insert =
          db_.prepare("INSERT INTO roster_group (item_id, position, name) VALUES (?1, ?2, ?3)");
      if (!insert) return insert.error();
      auto position = static_cast<std::int64_t>(seen.size());
      if (auto r = insert->bind(1, id).bind(2, position).bind(3, group).run(); !r) {
        return r.error();
      }
    }
    return bumpVersion(user);
  });
}

Result<std::uint64_t> SqliteRoster::remove(const std::string& user, const std::string& contact) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<std::uint64_t> {
    auto stmt = db_.prepare("DELETE FROM roster_item WHERE owner = ?1 AND contact = ?2");
    if (!stmt) return stmt.error();
    if (auto r = stmt->bind(1, user).bind(2, contact).run(); !r) return r.error();
    return db_.changes() > 0 ? bumpVersion(user) : currentVersion(user);
  });
}

std::uint64_t SqliteRoster::version(const std::string& user) {
  auto lock = db_.lock();
  return valueOrLog(currentVersion(user), "roster.version");
}

std::vector<std::string> SqliteRoster::usersWithContact(const std::string& contact) {
  auto lock = db_.lock();
  auto users = [&]() -> Result<std::vector<std::string>> {
    auto stmt = db_.prepare("SELECT owner FROM roster_item WHERE contact = ?1 ORDER BY owner");
    if (!stmt) return stmt.error();
    std::vector<std::string> owners;
    auto read = stmt->bind(1, contact).eachRow([&](const Statement& row) {
      owners.push_back(row.text(0));
    });
    if (!read) return read.error();
    return owners;
  }();
  return valueOrLog(std::move(users), "roster.usersWithContact");
}

Result<void> SqliteRoster::removeUser(const std::string& user) {
  auto lock = db_.lock();
  return db_.transaction([&]() -> Result<void> {
    auto stmt = db_.prepare("DELETE FROM roster_item WHERE owner = ?1");
    if (!stmt) return stmt.error();
    if (auto r = stmt->bind(1, user).run(); !r) return r;
    // The version counter survives, bumped: a client that cached version N of a deleted
    // account must not see a recreated account reach N again and skip the roster fetch.
    auto bumped = bumpVersion(user);
    if (!bumped) return bumped.error();
    return {};
  });
}

}  // namespace impd::storage::sqlite
