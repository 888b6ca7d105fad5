#pragma once
// Parsing of the address forms the config uses. config.h declares the public ones
// (parseHostPort, toString); these are for the schema.
#include <string_view>

#include "base/result.h"
#include "config/config.h"

namespace impd::config {

// "tls://host:port" (tcp, udp too). A listener must name its port (0 allowed: any free
// port); a route may leave it to the transport's default, 5061 for tls and 5060 otherwise.
Result<SipAddress> parseSipAddress(std::string_view text, bool listener);

// An IPv4 or IPv6 literal (IPv6 without brackets).
bool isIpLiteral(std::string_view host);

}  // namespace impd::config
