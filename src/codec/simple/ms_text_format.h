#pragma once
// Lync's ms-text-format header: the first message of an IM session, piggy-backed on the INVITE
// ("text/plain; charset=UTF-8;msgr=WAAtAE0...;ms-body=SGVsbG8="). The callee that renders
// ms-body must say so with "Supported: ms-text-format" in its 200 OK, or Lync sends the message
// again as a MESSAGE after the ACK.
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace impd::simple {

inline constexpr std::size_t kMaxMsTextFormatBytes = 64 * 1024;

struct MsTextFormat {
  std::string contentType;          // lower-cased type/subtype: "text/plain"
  std::string charset;              // as sent ("UTF-8"); "" when absent
  std::string msgr;                 // raw msgr parameter (base64 of UTF-16 X-MMS-IM-Format)
  std::optional<std::string> body;  // decoded ms-body; nullopt when the header carries none

  bool operator==(const MsTextFormat&) const = default;
};

// Parameters are separated by ';', names compare without regard to ASCII case, values may be
// quoted. ms-body is base64 with or without its padding; white space inside it (left by header
// folding) is ignored. Errors (condition "bad-request"): oversized, no type/subtype, a
// parameter without '=', or an ms-body that is not base64.
Result<MsTextFormat> parseMsTextFormat(std::string_view value);

// The header value for sending `body` of type `contentType` (e.g. "text/plain") as UTF-8.
std::string formatMsTextFormat(std::string_view contentType, std::string_view body);

}  // namespace impd::simple
