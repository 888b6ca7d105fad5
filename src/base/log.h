#pragma once
// Logging goes through spdlog; every log line names its subsystem via a named logger.
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace impd {

// A logger per subsystem ("c2s", "router", "storage", ...), created on first use.
std::shared_ptr<spdlog::logger> logger(const std::string& name);
// Applies a level ("trace".."critical", "off") to every logger; false if the name is unknown.
bool setLogLevel(const std::string& level);

}  // namespace impd
