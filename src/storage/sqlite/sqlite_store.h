#pragma once
// The SQLite backend: one file holds every store. Named only by server/ and tools/.
#include <filesystem>
#include <memory>

#include "base/result.h"
#include "storage/store.h"

namespace impd::storage {

// Opens or creates the database file (and its folder), applies pending migrations and returns
// a thread-safe Store. Several processes may open the same file at once (impd and impctl).
Result<std::unique_ptr<Store>> openSqliteStore(const std::filesystem::path& file);

}  // namespace impd::storage
