#pragma once
// ASCII helpers for the header values and tokens the gateway compares. The grammars involved
// (SIP option tags, media types, XMPP attribute values) are ASCII; other bytes pass through.
#include <string>
#include <string_view>
#include <vector>

namespace impd::gateway {

// Without leading and trailing space, tab, CR and LF.
std::string_view trim(std::string_view s);
std::string asciiLower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istartsWith(std::string_view s, std::string_view prefix);
// Comma-separated items, each trimmed; empty items are dropped. Commas inside double quotes
// do not split.
std::vector<std::string_view> splitCommas(std::string_view s);

}  // namespace impd::gateway
