#pragma once
// Responses the runtime builds itself (RFC 3261 §8.2.6): the headers every response copies
// from its request, the To tag, a Warning saying why, and the 400 for bytes that did not parse
// as a message, which can only be answered when the parts a response needs are still legible.
#include <optional>
#include <string>
#include <string_view>

#include "codec/sip/message.h"

namespace impd::sip {

// Via (all, in order), From, To, Call-ID, CSeq and Timestamp from the request; a To tag is
// added unless the status is 100 or the To already has one (§8.2.6.2).
Message makeResponse(const Message& request, int status, std::string_view toTag,
                     std::string reason = {});

// Warning: 399 <agent> "<text>" (§20.43, "miscellaneous warning").
void addWarning(Message& response, std::string_view agent, std::string_view text);

// A 400 (or `status`: 513 for a message too large) for raw bytes that failed to parse as a
// request. Built from a lenient parse when the bytes are a request whose Via, CSeq and
// Call-ID can be read, the body ignored if need be; nullopt for anything else (responses,
// ACKs, garbage), which is only dropped.
std::optional<Message> badRequestFor(std::string_view raw, std::string_view why, std::string_view toTag,
                                     int status = 400);

}  // namespace impd::sip
