#pragma once
// IM sessions, SIP -> XMPP: answering a Lync session-mode IM INVITE (protocol-notes §3.4; the
// seed's inbound flow: INVITE, our 200 OK, then MESSAGEs in the dialog).
//
// The exactly-once rule for the first message. Lync may piggy-back the first message in the
// INVITE's ms-text-format header, and it re-sends it as a MESSAGE after the ACK unless our 200
// lists "Supported: ms-text-format". We therefore tie the two together:
//
//   our 200 carries Supported: ms-text-format  <=>  decision.firstMessage is set
//
// and firstMessage is set exactly when the header's ms-body decodes to a non-empty text/plain
// or text/html text. The wiring must deliver firstMessage (when set) and must not expect the
// MESSAGE; when unset, the first message comes as a MESSAGE like every other one. Either way
// the user sees it once.
//
// Refusals, so that nothing but one-to-one IM opens a session:
//   420 + Unsupported    Require lists extensions (COMPAT: Lync conferencing asks for
//                        com.microsoft.rtc-multiparty; the seed has no three-way IM with Lync)
//   488 + Warning 304    an offer with other media (audio, video, application sharing) or a
//                        refused message stream, or no offer at all (we do not offer in a 200)
//   415 + Accept         a body that is not SDP (Lync file transfer sends multipart/mixed)
//   400                  unreadable SDP, or a From without JID form
//   404                  the target has no JID form
#include <optional>
#include <string>
#include <string_view>

#include "codec/simple/sdp.h"
#include "codec/sip/message.h"
#include "xml/element.h"

namespace impd::gateway {

struct InboundInviteConfig {
  std::string contact;  // our Contact header value
  // Our address and port for the SDP answer; acceptTypes empty means sessionAcceptTypes().
  simple::SdpParams sdp{.address = {}, .port = 5061, .acceptTypes = {}};
};

struct InviteDecision {
  bool accepted = false;
  // The final response: 200 with the SDP answer, or the refusal.
  sip::Message response;
  // The piggy-backed first message as <message type='chat'/> to deliver now; see above.
  std::optional<xml::Element> firstMessage;
};

// Decides on an initial INVITE. `toTag` is our new tag for the 200 (and the dialog,
// sip::Dialog::asUas). The 200 carries To with the tag, Record-Route copied, Contact, Allow,
// Content-Type application/sdp and an answer naming the local user's AoR.
InviteDecision decideInboundInvite(const sip::Message& invite, std::string_view toTag,
                                   const InboundInviteConfig& config);

}  // namespace impd::gateway
