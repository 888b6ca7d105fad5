#include "storage/sqlite/database.h"

#include <sqlite3.h>

#include <cassert>
#include <system_error>

#include "base/log.h"

namespace impd::storage::sqlite {

namespace {

// Long enough to ride out a checkpoint or an impctl write; short enough that a wedged peer
// process shows up as an error instead of a hang.
constexpr int kBusyTimeoutMs = 5000;

Error sqliteError(sqlite3* db, std::string_view what) {
  int code = sqlite3_extended_errcode(db);
  bool conflict = (code & 0xff) == SQLITE_CONSTRAINT;
  return makeError(conflict ? "conflict" : "internal-server-error",
                   std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bindError_(other.bindError_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
  return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  static const char kEmpty = 0;
  const char* data = bytes.empty() ? &kEmpty : bytes.data();
  int rc = sqlite3_bind_blob(stmt_, index, data, static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
  return *this;
}

Result<bool> Statement::step() {
  if (bindError_ != 0) {
    return makeError("internal-server-error",
                     std::string("binding a parameter: ") + sqlite3_errstr(bindError_));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqliteError(db_, sqlite3_sql(stmt_));
}

Result<void> Statement::run() {
  for (;;) {
    auto more = step();
    if (!more) return more.error();
    if (!*more) return {};
  }
}

std::string Statement::text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

std::string Statement::blob(int column) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& file) {
  std::error_code ec;
  bool existed = std::filesystem::exists(file, ec);
  if (!existed && file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      return makeError("internal-server-error",
                       "cannot create " + file.parent_path().string() + ": " + ec.message());
    }
  }
  sqlite3* raw = nullptr;
  // NOMUTEX: the Database mutex already serialises every use of the connection.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Database> db(new Database(raw, file));
  if (rc != SQLITE_OK) {
    return makeError("internal-server-error",
                     file.string() + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  if (!existed) {
    // Credentials live here. The WAL and shared-memory files SQLite creates later copy these
    // permissions, so this is the moment to restrict them.
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  if (auto r = db->configure(); !r) {
    return makeError(r.error().condition, file.string() + ": " + r.error().message);
  }
  return db;
}

Result<void> Database::configure() {
  auto lock = this->lock();
  // The first statement is where SQLite notices a file that is not a database.
  if (auto r = exec("PRAGMA foreign_keys = ON"); !r) return r;
  auto mode = prepare("PRAGMA journal_mode = WAL");
  if (!mode) return mode.error();
  auto row = mode->step();
  if (!row) return row.error();
  if (*row && mode->text(0) != "wal") {
    // Some file systems (network mounts) cannot do WAL. The rollback journal still works,
    // with writers blocking readers, so this is worth a warning rather than a refusal.
    logger("storage")->warn("{}: WAL unavailable, journal_mode is {}", file_.string(),
                            mode->text(0));
  }
  // With WAL, NORMAL is durable against application crashes and only risks the last
  // transactions on power loss, at a fraction of FULL's fsyncs.
  return exec("PRAGMA synchronous = NORMAL");
}

Database::~Database() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Result<Statement> Database::prepare(std::string_view sql) {
  std::string key(sql);
  auto found = statements_.find(key);
  if (found != statements_.end()) {
    // Two live loans of one statement would corrupt each other's bindings and cursor.
    assert(!sqlite3_stmt_busy(found->second));
    return Statement(db_, found->second);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return lastError("prepare");
  statements_.emplace(std::move(key), stmt);
  return Statement(db_, stmt);
}

Result<void> Database::exec(std::string_view sql) {
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return lastError(text);
  }
  return {};
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_);
}

Error Database::lastError(std::string_view what) const {
  return sqliteError(db_, what);
}

}  // namespace impd::storage::sqlite
