#pragma once
// Versioned schema migrations. The schema_version table holds one row with the version the
// file is at; migration N is a list of statements applied with that row's update in one
// transaction, so a file is always at exactly one known version.
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/sqlite/database.h"

namespace impd::storage::sqlite {

struct Migration {
  int version;
  std::vector<std::string_view> statements;
};

// Every migration, oldest first; versions are 1, 2, 3, ... without gaps. Append only: a
// released migration is never edited, a change to it is a new migration.
const std::vector<Migration>& migrations();

// Brings the file up to the newest version. Safe when impd and impctl start at the same time
// on a fresh file: each step re-reads the version inside its own write transaction.
// Error when the file is newer than this build (a downgrade would corrupt it).
Result<void> migrate(Database& db);

// The version the file is at (0 for a fresh file). Caller holds the lock.
Result<int> schemaVersion(Database& db);

}  // namespace impd::storage::sqlite
