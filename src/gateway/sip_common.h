#pragma once
// SIP building blocks every gateway translation needs: the constants we advertise (Allow,
// Accept, Event), fresh tags and Call-IDs, the response skeleton a UAS derives from a request,
// and reading a Content-Type. Kept here so that the SUBSCRIBE, NOTIFY, MESSAGE and INVITE
// translations spell these the same way.
#include <optional>
#include <string>
#include <string_view>

#include "base/random.h"
#include "codec/sip/headers.h"
#include "codec/sip/message.h"

namespace impd::gateway {

// The methods the gateway handles as a UA, for Allow headers (RFC 3261 §20.5).
inline constexpr std::string_view kAllowMethods =
    "INVITE, ACK, CANCEL, BYE, MESSAGE, INFO, SUBSCRIBE, NOTIFY, OPTIONS";
inline constexpr std::string_view kPresenceEvent = "presence";
inline constexpr std::string_view kTextPlainUtf8 = "text/plain;charset=UTF-8";
// What a MESSAGE to us may carry (the Accept of a 415, RFC 3428).
inline constexpr std::string_view kAcceptedMessageTypes =
    "text/plain, text/html, multipart/alternative, application/im-iscomposing+xml";

// A From/To tag: 8 random bytes of token alphabet (48 bits), unique enough per dialog.
std::string newTag(Random& random);
// A Call-ID: 16 random token characters "@" `host`; just the random part when host is empty.
std::string newCallId(Random& random, std::string_view host);

// The response skeleton of RFC 3261 §8.2.6.2: every Via, From, To, Call-ID and CSeq copied from
// `request`, reason phrase from the status. `toTag`, when given and To has none yet, is added
// to To (a dialog-forming answer). The caller adds Contact, Record-Route and body as needed.
sip::Message responseTo(const sip::Message& request, int status, std::string_view toTag = {});

// The Record-Route values of `request` copied, in order, into `response`: what a 2xx to a
// dialog-forming request must do (RFC 3261 §12.1.1).
void copyRecordRoute(const sip::Message& request, sip::Message& response);

// The parsed Content-Type of a message; nullopt when absent or malformed.
std::optional<sip::ParamValue> contentTypeOf(const sip::Message& message);
// "type/subtype" of the Content-Type, lower case; "" when absent or malformed.
std::string mediaTypeOf(const sip::Message& message);

// Whether a comma-separated option-tag header (Supported, Require) of `message` lists `tag`
// (case-insensitive).
bool listsOptionTag(const sip::Message& message, std::string_view header, std::string_view tag);

}  // namespace impd::gateway
