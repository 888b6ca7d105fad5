#pragma once
// The little SDP (RFC 4566) that Lync's session-mode IM needs: an INVITE offers one
// "m=message <port> sip null" stream (m=x-ms-message from pre-2007 servers) with the content
// types it accepts, and the answer names our SIP URI. The parser reads any SDP so that it can
// say what else an offer wants (audio, application sharing, ...), which the caller refuses
// with 488; it never needs the codecs, timing or bandwidth lines.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace impd::simple {

// Bounds on what parseSdp() reads; a Lync offer is about 300 bytes and 7 lines.
inline constexpr std::size_t kMaxSdpBytes = 16 * 1024;
inline constexpr std::size_t kMaxSdpLines = 128;

struct SdpSession {
  std::vector<std::string> media;  // every m= line's media type, in order: "message", "audio"
  // Every m= line is a message stream (message or x-ms-message, any case) and the first of
  // them has a port other than 0 (port 0 would be a refused stream).
  bool messageSession = false;
  // From the first message stream:
  std::string messageMedia;  // "message" or "x-ms-message", as sent
  std::uint16_t port = 0;
  std::string proto;   // "sip"
  std::string target;  // the format field: "null" in an offer, "sip:user@host" in an answer
  // a=accept-types tokens, session-level ones first, then the message stream's; duplicates
  // (compared without regard to ASCII case) are kept once.
  std::vector<std::string> acceptTypes;
  std::string address;  // the message stream's c= address, else the session's
  bool ipv6 = false;    // that c= line says IP6

  bool operator==(const SdpSession&) const = default;
};

// Parses an SDP body: LF or CRLF lines of "<letter>=<value>", starting with v=0. Errors
// (condition "bad-request"): over the bounds, a malformed line, a missing or other version, or
// a malformed c= or m= line. An offer without message streams is not an error: check
// messageSession and answer 488 listing `media`.
Result<SdpSession> parseSdp(std::string_view body);

struct SdpParams {
  std::string address;  // our address for o= and c=; IN IP6 when it contains ':'
  std::uint16_t port = 5061;
  std::vector<std::string> acceptTypes{"text/plain"};  // empty means text/plain
};

// "m=message <port> sip null" with the accept-types: what the caller of an IM session sends.
// Errors (condition "bad-request") when the address or a type is empty or holds white space or
// control characters, which would break the line structure.
Result<std::string> buildSdpOffer(const SdpParams& params);

// "m=message <port> sip sip:<our-uri>": the 200 OK to an IM INVITE. ourUri may be given with or
// without its "sip:" scheme. Errors as buildSdpOffer(), and for an empty or unsafe URI.
Result<std::string> buildSdpAnswer(const SdpParams& params, std::string_view ourUri);

}  // namespace impd::simple
