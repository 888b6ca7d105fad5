#pragma once
// Wiring: the only place that names concrete backends (SQLite) and starts listeners.
#include "base/result.h"
#include "config/config.h"

namespace impd::server {

// What --check verifies beyond the config file itself: the certificate and key load and
// match (or can be generated), and the data folder is writable.
Result<void> checkDeployment(const config::Config& config);

// Runs until SIGTERM/SIGINT; returns the process exit status.
int run(const config::Config& config);

}  // namespace impd::server
