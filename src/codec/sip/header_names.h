#pragma once
// Header field names: compact forms (RFC 3261 §7.3.3 and extensions), canonical spelling of
// the names we know, and which headers carry comma-separated lists (§7.3.1). Internal to the
// SIP codec.
#include <string>
#include <string_view>

namespace impd::sip {

// "v" -> "Via", "call-id" -> "Call-ID", "cSeQ" -> "CSeq"; an unknown name is kept as written.
std::string canonicalHeaderName(std::string_view name);
// Whether a header's value is a comma-separated list to split into one Header per element.
// Takes the canonical name.
bool isListHeader(std::string_view canonicalName);

}  // namespace impd::sip
