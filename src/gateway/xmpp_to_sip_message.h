#pragma once
// Messages, XMPP -> SIP (RFC 7572, and Lync's session mode of protocol-notes §3.4). A local
// user's <message/> becomes a SIP MESSAGE whose body is the plain <body> as
// text/plain;charset=UTF-8: in page mode a request of its own (RFC 3428), in session mode a
// request inside the IM session's INVITE dialog. XEP-0085 chat states become typing
// notifications: RFC 3994 isComposing MESSAGEs, or for Lync the INFO KeyboardActivity its
// clients send.
//
// Rich text: XHTML-IM (XEP-0071) is ignored. XEP-0071 requires a plain <body> beside it, that
// body is what every SIP peer can show, and a converted text/html part would be one more
// place for markup to leak through. Lync renders plain text well.
//
// Threads: RFC 7572 maps <thread> to Call-ID. In page mode a usable thread id becomes the
// Call-ID (each MESSAGE still gets a fresh From tag and CSeq 1, so they stay separate
// transactions). In session mode the dialog owns the Call-ID; the wiring keeps one session per
// (local user, remote user) and the SIP -> XMPP side sets <thread> to that Call-ID.
#include <optional>
#include <string>
#include <string_view>

#include "base/random.h"
#include "base/result.h"
#include "codec/presence/profile.h"
#include "codec/simple/is_composing.h"
#include "codec/sip/dialog.h"
#include "codec/sip/message.h"
#include "codec/xmpp/jid.h"
#include "xml/element.h"

namespace impd::gateway {

// Messages longer than this are refused ("policy-violation") rather than sent: RFC 3428 asks
// for restraint in MESSAGE sizes, and our own SIP side refuses more than this with 413.
inline constexpr std::size_t kMaxMessageTextBytes = 64 * 1024;

// What of an XMPP message goes to SIP.
struct OutboundText {
  std::string body;      // UTF-8
  std::string language;  // xml:lang of the chosen body, else of the message; "" when none
  std::string subject;
  std::string thread;
};

// Reads a chat or normal message. Errors: "bad-request" for an error message (errors answer a
// SIP transaction, error_translation.h), "feature-not-implemented" for groupchat (no
// multi-party IM with SIP peers), "no-body" when there is no <body> (maybe a chat state alone:
// see typingStateFor()), "policy-violation" when the body is over kMaxMessageTextBytes.
Result<OutboundText> outboundTextOf(const xml::Element& message);

struct PageModeConfig {
  std::string callIdHost;  // host part of fresh Call-IDs; "" for none
};

// A pager-mode MESSAGE from the stanza's `from` (bare AoR, with a fresh tag) to its `to` (AoR;
// a resource is dropped): Max-Forwards, From, To, Call-ID (the thread when usable), CSeq 1,
// Content-Type text/plain;charset=UTF-8, Subject and Content-Language when given. Errors as
// outboundTextOf(), and "jid-malformed" for a missing or unmappable from/to.
Result<sip::Message> buildPageModeMessage(const xml::Element& message, Random& random,
                                          const PageModeConfig& config = {});

// The next MESSAGE inside an IM session's dialog (Lync session mode).
sip::Message buildSessionMessage(sip::Dialog& dialog, const OutboundText& text);

// How typing is signalled to a peer.
enum class TypingStyle {
  isComposingMessage,    // RFC 3994: MESSAGE application/im-iscomposing+xml
  keyboardActivityInfo,  // COMPAT: Lync/OCS clients send and expect INFO KeyboardActivity
};
TypingStyle typingStyleFor(presence::System peer);

// The typing state a message signals: a chat state without a body is composing -> active, any
// other (active, paused, inactive, gone) -> idle. A chat state that comes with a body signals
// nothing of its own: the message itself ends the typing (RFC 3994), and sending idle
// with every message would double the traffic. nullopt when nothing is to be sent.
std::optional<simple::ComposingState> typingStateFor(const xml::Element& message);

// The typing notification inside an IM session's dialog.
sip::Message buildSessionTyping(sip::Dialog& dialog, simple::ComposingState state,
                                TypingStyle style);
// A pager-mode isComposing MESSAGE (peers without a session). Errors as buildPageModeMessage.
Result<sip::Message> buildPageModeTyping(const xmpp::Jid& from, const xmpp::Jid& to,
                                         simple::ComposingState state, Random& random,
                                         const PageModeConfig& config = {});

}  // namespace impd::gateway
