#pragma once
// Messages, SIP -> XMPP (RFC 7572, and Lync's session mode of protocol-notes §3.4): a MESSAGE,
// pager mode or inside an IM session, becomes <message type='chat'/> from the sender's bare
// JID to the local user's bare JID, with the text of its body (sip_body_text.h), <thread> =
// Call-ID (for a session that is the same for every message, which is what a thread is),
// <subject> from Subject, xml:lang from Content-Language, and an XEP-0085 <active/> that tells
// the client typing notifications are understood. Typing notifications - RFC 3994 isComposing
// MESSAGEs and Lync's INFO KeyboardActivity - become <composing/> or <paused/>.
//
// `chat` and not `normal`: RFC 7572 leaves the type to the gateway; every SIP peer we meet is
// an IM client whose users expect a conversation.
#include <optional>

#include "base/result.h"
#include "codec/sip/message.h"
#include "xml/element.h"

namespace impd::gateway {

// Bodies larger than this are refused with 413 (protocol-notes §1.5).
inline constexpr std::size_t kMaxSipMessageBodyBytes = 64 * 1024;

// The stanza a MESSAGE means; nullopt for a body that is answered 200 and dropped
// (application/ms-imdn+xml delivery notices: the XMPP side has no use for Lync's IMDN). Errors
// (error_translation.h sipRefusalFor() builds the answer):
//  "unsupported-media-type" 415  a body type or charset we cannot show
//  "too-large"              413  body over kMaxSipMessageBodyBytes
//  "bad-request"            400  unreadable isComposing or multipart body
//  "jid-malformed"          400  From has no JID form
//  "item-not-found"         404  the target has no JID form
Result<std::optional<xml::Element>> translateSipMessage(const sip::Message& message);

// Lync's INFO inside an IM session: a KeyboardActivity body (Content-Type application/xml)
// becomes <composing/> or <paused/>. Anything else an INFO carries (multiparty control,
// unreadable XML) is answered 200 and dropped: nullopt. Errors as translateSipMessage() for
// the addresses.
Result<std::optional<xml::Element>> translateSipInfo(const sip::Message& info);

// The BYE that ends an IM session (the peer closed the conversation window, or its 10-minute
// idle timer fired): <message type='chat'><gone/></message> (XEP-0085), so the local client
// knows the other side left. Errors as translateSipMessage() for the addresses.
Result<xml::Element> translateSipBye(const sip::Message& bye);

}  // namespace impd::gateway
