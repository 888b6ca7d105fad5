// impctl user add|del|passwd|list: open the configured store, run Accounts, report.
#include <fstream>
#include <iostream>
#include <memory>

#include "base/random.h"
#include "commands.h"
#include "password.h"
#include "storage/accounts.h"
#include "storage/sqlite/sqlite_store.h"

namespace impd::impctl {

namespace {

// The one place impctl names a backend, as server/ does for impd.
Result<std::unique_ptr<storage::Store>> openStore(const config::Config& config) {
  if (config.storage.backend == "postgresql") {
    return makeError("feature-not-implemented", "postgresql backend is not built yet");
  }
  return storage::openSqliteStore(config::sqliteFilePath(config));
}

// Runs `action` on an Accounts over the configured store; prints its error if any.
template <typename Action>
int withAccounts(const config::Config& config, const char* command, Action&& action) {
  auto store = openStore(config);
  if (!store) return fail(store.error().message);
  storage::Accounts accounts(**store, config.server.domains, SecureRandom::instance());
  return action(accounts, std::string(command));
}

}  // namespace

int fail(const std::string& reason) {
  std::cerr << "impctl: " << reason << "\n";
  return kFailed;
}

int userAdd(const config::Config& config, const std::string& jid, const std::string& password) {
  auto secret = resolvePassword(password);
  if (!secret) return fail("user add: no password on stdin");
  return withAccounts(config, "user add", [&](storage::Accounts& accounts, const std::string& cmd) {
    auto added = accounts.add(jid, *secret);
    if (!added) return fail(cmd + ": " + added.error().message);
    std::cout << "added " << *added << "\n";
    return kOk;
  });
}

int userDel(const config::Config& config, const std::string& jid) {
  return withAccounts(config, "user del", [&](storage::Accounts& accounts, const std::string& cmd) {
    auto removed = accounts.remove(jid);
    if (!removed) return fail(cmd + ": " + removed.error().message);
    std::cout << "deleted " << *removed << "\n";
    return kOk;
  });
}

int userPasswd(const config::Config& config, const std::string& jid, const std::string& password) {
  auto secret = resolvePassword(password);
  if (!secret) return fail("user passwd: no password on stdin");
  return withAccounts(config, "user passwd",
                      [&](storage::Accounts& accounts, const std::string& cmd) {
                        auto changed = accounts.setPassword(jid, *secret);
                        if (!changed) return fail(cmd + ": " + changed.error().message);
                        std::cout << "password changed for " << *changed << "\n";
                        return kOk;
                      });
}

int userList(const config::Config& config, const std::string& domain) {
  return withAccounts(config, "user list",
                      [&](storage::Accounts& accounts, const std::string& cmd) {
                        auto listed = accounts.list(domain);
                        if (!listed) return fail(cmd + ": " + listed.error().message);
                        for (const std::string& jid : *listed) std::cout << jid << "\n";
                        return kOk;
                      });
}

int userImport(const config::Config& config, const std::string& file) {
  std::ifstream opened;
  if (file != "-") {
    opened.open(file);
    if (!opened) return fail("user import: cannot read " + file);
  }
  std::istream& in = file == "-" ? std::cin : opened;
  return withAccounts(config, "user import", [&](storage::Accounts& accounts, const std::string& cmd) {
    std::string line;
    std::size_t lineNo = 0, added = 0;
    while (std::getline(in, line)) {
      ++lineNo;
      if (line.empty() || line[0] == '#') continue;
      const auto space = line.find(' ');
      if (space == std::string::npos) return fail(cmd + ": line " + std::to_string(lineNo) + ": expected 'JID PASSWORD'");
      auto result = accounts.add(line.substr(0, space), line.substr(space + 1));
      if (!result) return fail(cmd + ": line " + std::to_string(lineNo) + ": " + result.error().message);
      ++added;
    }
    std::cout << "added " << added << " account(s)\n";
    return kOk;
  });
}

}  // namespace impd::impctl
