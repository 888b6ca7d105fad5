#pragma once
// One SQLite connection, its cache of prepared statements, and the mutex that serialises every
// use of both. The server calls the store from its storage thread and impctl from its main
// thread; a single guarded connection is simpler than a pool and fast enough for either.
// Other processes (impctl while impd runs) are handled by WAL and busy_timeout, not by this
// mutex.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace impd::storage::sqlite {

// A cached prepared statement on loan. It is reset and its bindings cleared when the loan ends,
// so the next borrower always starts clean. Only valid while the Database lock is held.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQL. A binding failure is remembered and reported by step().
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bindBlob(int index, std::string_view bytes);

  // True while a row is available, false once the statement is done. A constraint violation
  // comes back as condition "conflict", anything else as "internal-server-error".
  Result<bool> step();
  // Steps to completion, for statements that return no rows.
  Result<void> run();
  // Steps to completion, calling onRow(*this) for each row.
  template <typename OnRow>
  Result<void> eachRow(OnRow&& onRow) {
    for (;;) {
      auto row = step();
      if (!row) return row.error();
      if (!*row) return {};
      onRow(*this);
    }
  }

  std::string text(int column) const;
  std::string blob(int column) const;
  std::int64_t integer(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bindError_ = 0;
};

class Database {
 public:
  // Opens (creating the file and its folder when missing) and applies the connection
  // settings: WAL, busy_timeout, foreign keys.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& file);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Every other member requires this lock to be held by the caller.
  [[nodiscard]] std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }

  // Returns the cached statement for this SQL text, preparing it on first use.
  Result<Statement> prepare(std::string_view sql);
  // Runs SQL that is not worth caching (pragmas, migrations). May hold several statements.
  Result<void> exec(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const;

  // Runs body inside BEGIN IMMEDIATE ... COMMIT, rolling back if it returns an Error.
  // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and
  // writes later fails at once with SQLITE_BUSY when another process wrote in between,
  // which busy_timeout cannot help with.
  template <typename Body>
  auto transaction(Body&& body) -> decltype(body()) {
    if (auto begun = exec("BEGIN IMMEDIATE"); !begun) return begun.error();
    auto result = body();
    if (!result) {
      (void)exec("ROLLBACK");
      return result;
    }
    if (auto committed = exec("COMMIT"); !committed) {
      (void)exec("ROLLBACK");
      return committed.error();
    }
    return result;
  }

  const std::filesystem::path& file() const { return file_; }

 private:
  Database(sqlite3* db, std::filesystem::path file) : db_(db), file_(std::move(file)) {}
  Result<void> configure();
  Error lastError(std::string_view what) const;

  std::mutex mutex_;
  sqlite3* db_;
  std::filesystem::path file_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace impd::storage::sqlite
