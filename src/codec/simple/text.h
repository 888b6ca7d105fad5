#pragma once
// ASCII helpers shared by the SIMPLE codecs. The grammars they serve (SDP, header parameters,
// XML tokens) are ASCII; bytes >= 0x80 pass through untouched, so UTF-8 text survives.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace impd::simple::detail {

// Without leading and trailing space, tab, CR and LF.
std::string_view trim(std::string_view s);
std::string asciiLower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istartsWith(std::string_view s, std::string_view prefix);
// Fields separated by runs of spaces or tabs; empty fields are dropped.
std::vector<std::string_view> splitFields(std::string_view s);
// A decimal number of digits only (no sign, no space) not above max.
std::optional<unsigned> parseUnsigned(std::string_view s, unsigned max);
// True when s has a byte that must not reach a line-oriented wire format: a C0 control, DEL,
// a space or a tab. Builders refuse such values rather than let them split a line.
bool hasSpaceOrControl(std::string_view s);

}  // namespace impd::simple::detail
