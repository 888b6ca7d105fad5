#pragma once
#include <optional>
#include <string>

namespace impd::impctl {

// The --password value; "-" reads one line from stdin instead (without echo on a terminal),
// which keeps the password out of the shell history and the process list.
std::optional<std::string> resolvePassword(const std::string& option);

}  // namespace impd::impctl
