#pragma once
// IM sessions, XMPP -> SIP: the INVITE that opens a Lync session-mode IM session when a local
// user writes to a SIP contact and no session exists (the seed: "If no existing IM session is
// established between these two users, [we send] an INVITE"). Shape as protocol-notes §3.4
// describes Lync's own: SDP offer "m=message <port> sip null" with a=accept-types, Contact,
// Supported: ms-sender, and optionally the first message piggy-backed in ms-text-format.
//
// First message: when it rides in the INVITE, the callee says it displayed it by listing
// ms-text-format in the Supported of its 200 (calleeDisplayedFirstMessage()). When it does not,
// the caller sends the text again as a MESSAGE after the ACK; when it does, sending it again
// would show it twice.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "base/result.h"
#include "codec/simple/sdp.h"
#include "codec/sip/message.h"
#include "codec/xmpp/jid.h"

namespace impd::gateway {

// The body types the gateway reads in a session (sip_to_xmpp_message.h), for a=accept-types.
std::vector<std::string> sessionAcceptTypes();

// Above this a first message is not piggy-backed (header size; it goes as a MESSAGE).
inline constexpr std::size_t kMaxPiggybackBytes = 1024;

struct ImInviteConfig {
  std::string contact;    // our Contact header value
  std::string callIdHost;  // host part of fresh Call-IDs; "" for none
  // Our address and port for the SDP; acceptTypes empty means sessionAcceptTypes().
  simple::SdpParams sdp{.address = {}, .port = 5061, .acceptTypes = {}};
};

struct OutboundInvite {
  sip::Message request;  // without Via: the transport adds it
  std::string callId;
  std::string localTag;
  // The first message rides in ms-text-format: check the 200 with
  // calleeDisplayedFirstMessage() before sending it again.
  bool firstMessageInInvite = false;
};

// INVITE from `from` (local user, bare AoR + fresh tag) to `to` (AoR): Max-Forwards, Call-ID,
// CSeq 1, Contact, Allow, Supported: ms-sender (COMPAT: Lync - what its own clients send),
// Content-Type application/sdp and the offer. `firstMessage`, when given and not over
// kMaxPiggybackBytes, goes into an ms-text-format header. Errors: "jid-malformed" for
// unmappable addresses, "bad-request" for an empty contact or an unusable SDP address.
Result<OutboundInvite> buildImInvite(const xmpp::Jid& from, const xmpp::Jid& to,
                                     const ImInviteConfig& config, Random& random,
                                     std::optional<std::string_view> firstMessage = {});

// Whether a 2xx to our INVITE says the piggy-backed first message was displayed.
bool calleeDisplayedFirstMessage(const sip::Message& response);

}  // namespace impd::gateway
