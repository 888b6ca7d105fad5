#pragma once
// The header section as lines: finding its end, unfolding continuation lines, splitting list
// values, and reading Content-Length. Shared by parse() and frameLength() so both frame a
// message the same way. Internal to the SIP codec.
//
// Line ends: RFC 3261 requires CRLF; a bare LF is accepted too (as many stacks do), since it
// cannot be mistaken for anything else. A CR not followed by LF is refused.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "codec/sip/message.h"

namespace impd::sip {

struct RawHeader {
  std::string_view name;  // as written, trailing whitespace removed
  std::string value;      // continuation lines joined with one space, ends trimmed
};

struct HeaderBlock {
  std::string_view startLine;
  std::vector<RawHeader> headers;
};

// Offset just past the empty line ending the header section of `text` (which starts at the
// start line), or npos when none is found within the first `limit` + 4 bytes.
std::size_t findHeaderEnd(std::string_view text, std::size_t limit);

// Splits text[0, end) into start line and unfolded headers. "bad-request" on a line without
// colon, a header name that is not a token, a bare CR, or a continuation without a header;
// "too-large" past limits.maxHeaders lines.
Result<HeaderBlock> lexHeaderBlock(std::string_view section, const Limits& limits);

// The value of Content-Length ("l"), nullopt when absent. Every occurrence must be 1*DIGIT
// and all must agree ("bad-request"); a value above limits.maxBodyBytes is "too-large".
Result<std::optional<std::size_t>> contentLength(const std::vector<RawHeader>& headers,
                                                 const Limits& limits);

// The elements of a comma-separated list value; commas inside quoted strings or <...> do not
// split. Elements are trimmed; empty elements are kept so typed parsers can refuse them.
std::vector<std::string> splitList(std::string_view value);

}  // namespace impd::sip
