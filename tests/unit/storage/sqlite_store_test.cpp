// The store suite on SQLite (a temporary file per test), plus what only SQLite has: the file,
// its pragmas and its migrations.
#include "storage/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <future>

#include "storage/sqlite/migrations.h"
#include "store_suite.h"
#include "temp_dir.h"

namespace impd::storage::testing {
namespace {

class SqliteHarness final : public StoreHarness {
 public:
  std::unique_ptr<Store> open() override {
    auto store = openSqliteStore(dir_.path() / "impd.sqlite");
    EXPECT_TRUE(store) << (store ? "" : store.error().message);
    return store ? std::move(store).value() : nullptr;
  }

 private:
  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreSuite,
                         ::testing::Values(StoreBackendFactory{
                             "sqlite", [] { return std::make_unique<SqliteHarness>(); }}),
                         StoreSuite::paramName);

// Runs one query on the file through a connection of its own; returns the first column.
std::string query(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open(file.c_str(), &db) == SQLITE_OK) {
    sqlite3_exec(
        db, sql.c_str(),
        [](void* o, int, char** values, char**) {
          *static_cast<std::string*>(o) = values[0] ? values[0] : "";
          return 0;
        },
        &out, nullptr);
  }
  sqlite3_close(db);
  return out;
}

TEST(SqliteStore, FreshFileIsAtTheNewestSchemaInWalMode) {
  TempDir dir;
  auto file = dir.path() / "impd.sqlite";
  ASSERT_TRUE(openSqliteStore(file));
  EXPECT_EQ(query(file, "SELECT version FROM schema_version"),
            std::to_string(sqlite::migrations().back().version));
  EXPECT_EQ(query(file, "SELECT count(*) FROM schema_version"), "1");
  EXPECT_EQ(query(file, "PRAGMA journal_mode"), "wal");
}

TEST(SqliteStore, MigrationVersionsCountUpWithoutGaps) {
  int expected = 1;
  for (const auto& m : sqlite::migrations()) EXPECT_EQ(m.version, expected++);
}

TEST(SqliteStore, ReopeningKeepsDataAndVersion) {
  TempDir dir;
  auto file = dir.path() / "impd.sqlite";
  {
    auto store = openSqliteStore(file);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->privacy().block("alice@imp.test", {"spam.test"}));
  }
  auto again = openSqliteStore(file);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->privacy().blocklist("alice@imp.test"), std::vector<std::string>{"spam.test"});
  EXPECT_EQ(query(file, "SELECT count(*) FROM schema_version"), "1");
}

TEST(SqliteStore, BlocksOfAVersionOneFileBecomePolicyEntries) {
  TempDir dir;
  auto file = dir.path() / "impd.sqlite";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    sqlite3_close(db);
  }
  // Build a version 1 file by hand: its statements, then one row in the old blocklist.
  query(file, "CREATE TABLE schema_version (version INTEGER NOT NULL)");
  for (std::string_view sql : sqlite::migrations().front().statements) query(file, std::string(sql));
  query(file, "INSERT INTO schema_version (version) VALUES (1)");
  query(file, "INSERT INTO blocked (owner, jid) VALUES ('alice@imp.test', 'spam.test')");
  auto store = openSqliteStore(file);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->privacy().blocklist("alice@imp.test"), std::vector<std::string>{"spam.test"});
}

TEST(SqliteStore, AFileFromANewerImpdIsRefused) {
  TempDir dir;
  auto file = dir.path() / "impd.sqlite";
  ASSERT_TRUE(openSqliteStore(file));
  query(file, "UPDATE schema_version SET version = 999");
  auto store = openSqliteStore(file);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;
}

TEST(SqliteStore, AFileThatIsNotADatabaseIsAnError) {
  TempDir dir;
  auto file = dir.path() / "impd.sqlite";
  std::ofstream(file) << "this is not a database, just some text long enough to have a header";
  auto store = openSqliteStore(file);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find(file.string()), std::string::npos);
}

TEST(SqliteStore, MissingFoldersAreCreated) {
  TempDir dir;
  auto file = dir.path() / "var" / "data" / "impd.sqlite";
  ASSERT_TRUE(openSqliteStore(file));
  EXPECT_TRUE(std::filesystem::exists(file));
}

TEST(SqliteStore, TheFileIsReadableByItsOwnerOnly) {
  TempDir dir;
  auto file = dir.path() / "impd.sqlite";
  ASSERT_TRUE(openSqliteStore(file));
  using std::filesystem::perms;
  auto p = std::filesystem::status(file).permissions();
  EXPECT_EQ(p & (perms::group_all | perms::others_all), perms::none);
}

// Almost every sign-in pops an empty offline queue. That must not need the write lock, so
// another writer on the file (a second node, impctl) does not hold sign-ins up.
TEST(SqliteStore, PoppingAnEmptyOfflineQueueTakesNoWriteLock) {
  TempDir dir;
  auto file = dir.path() / "impd.sqlite";
  auto store = openSqliteStore(file);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->offline().push("bob@imp.test", "<message/>", 10));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto popped = std::async(std::launch::async, [&] { return (*store)->offline().popAll("alice@imp.test"); });
  // Waiting for the lock would last the busy timeout (5 s) and then fail.
  const bool answered = popped.wait_for(std::chrono::seconds(2)) == std::future_status::ready;
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE(answered);
  EXPECT_TRUE(popped.get().empty());
  EXPECT_EQ((*store)->offline().popAll("bob@imp.test").size(), 1u);
}

}  // namespace
}  // namespace impd::storage::testing
