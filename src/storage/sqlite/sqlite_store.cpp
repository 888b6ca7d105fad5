#include "storage/sqlite/sqlite_store.h"

#include "base/log.h"
#include "storage/cached_roster.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/stores.h"

namespace impd::storage {

namespace sqlite {

void logFailure(const char* what, const Error& error) {
  logger("storage")->error("{}: {}", what, error.message);
}

namespace {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Database> db)
      : db_(std::move(db)),
        users_(*db_),
        roster_(*db_),
        offline_(*db_),
        privacy_(*db_),
        sipSubscriptions_(*db_),
        sipWatchers_(*db_) {}

  UserStore& users() override { return users_; }
  RosterStore& roster() override { return cachedRoster_; }
  OfflineStore& offline() override { return offline_; }
  PrivacyStore& privacy() override { return privacy_; }
  SipSubscriptionStore& sipSubscriptions() override { return sipSubscriptions_; }
  SipWatcherStore& sipWatchers() override { return sipWatchers_; }

 private:
  std::unique_ptr<Database> db_;
  SqliteUsers users_;
  SqliteRoster roster_;
  CachedRosterStore cachedRoster_{roster_};  // every roster read and write goes through it
  SqliteOffline offline_;
  SqlitePrivacy privacy_;
  SqliteSipSubscriptions sipSubscriptions_;
  SqliteSipWatchers sipWatchers_;
};

}  // namespace
}  // namespace sqlite

Result<std::unique_ptr<Store>> openSqliteStore(const std::filesystem::path& file) {
  auto db = sqlite::Database::open(file);
  if (!db) return db.error();
  if (auto migrated = sqlite::migrate(**db); !migrated) return migrated.error();
  return std::unique_ptr<Store>(std::make_unique<sqlite::SqliteStore>(std::move(*db)));
}

}  // namespace impd::storage
