#pragma once
// The impctl commands. Each returns the process exit status: 0 success, 1 a failed operation
// (after printing a one-line reason to stderr). Usage errors (2) are caught before these run.
#include <string>

#include "config/config.h"

namespace impd::impctl {

inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;
inline constexpr int kUsage = 2;

// Prints "impctl: <reason>" to stderr and returns kFailed.
int fail(const std::string& reason);

int userAdd(const config::Config& config, const std::string& jid, const std::string& password);
int userDel(const config::Config& config, const std::string& jid);
int userPasswd(const config::Config& config, const std::string& jid, const std::string& password);
int userList(const config::Config& config, const std::string& domain);
// Lines "JID PASSWORD" (blank lines and lines starting with # skipped); stops at the first
// line that fails, naming it. For provisioning many accounts (benchmarks, migrations).
int userImport(const config::Config& config, const std::string& file);

int checkCerts(const config::Config& config);
int checkFederation(const config::Config& config, const std::string& domain);

}  // namespace impd::impctl
