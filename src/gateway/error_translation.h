#pragma once
// Errors across the gateway (RFC 7247 §8 via codec/simple/error_map.h): a SIP failure response
// to a request we sent for an XMPP stanza becomes that stanza's error reply, and an XMPP error
// for a stanza we delivered for a SIP request becomes the final response of the SIP
// transaction still waiting for it. Also the SIP refusal for a translation Error raised by the
// other gateway files.
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/sip/message.h"
#include "xml/element.h"

namespace impd::gateway {

// The error reply to `original` (the XMPP stanza the SIP request was made for) for the SIP
// final response `response` (status >= 300): condition from the RFC 7247 table, type from
// RFC 6120 (xmpp::defaultErrorType), text naming the SIP status and reason, plus the Warning
// text when the peer gave one (Lync explains policy refusals there: 606 + Warning 309).
// A presence stanza gets a presence error, a message a message error. Subscription requests
// are the exception: a refused SUBSCRIBE is not an error for XMPP (outbound_subscribe.h,
// outcomeOfSubscribeResponse()).
xml::Element xmppErrorForSipResponse(const xml::Element& original, const sip::Message& response);

// The defined condition of an XMPP error stanza (the first child of <error/> in the stanzas
// namespace other than <text/>); "undefined-condition" when there is none.
std::string errorConditionOf(const xml::Element& errorStanza);
// The SIP status for an XMPP error stanza that answers a delivered SIP request: the RFC 7247
// row, with its special case applied (gone with a new address -> 301).
int sipStatusForXmppErrorStanza(const xml::Element& errorStanza);
// The complete final response to `request` for that XMPP error. `toTag`: the tag to add to To
// when the request came outside a dialog (RFC 3261 §8.2.6.2); in a dialog To has one already.
sip::Message sipResponseForXmppError(const sip::Message& request, const xml::Element& errorStanza,
                                     std::string_view toTag = {});

// The SIP refusal of `request` for an Error from a gateway translation, with the header the
// status calls for:
//   unsupported-media-type -> 415 + Accept (what a MESSAGE to us may carry)
//   too-large              -> 413
//   bad-event              -> 489 + Allow-Events: presence
//   any XMPP condition     -> its RFC 7247 status (jid-malformed 400, item-not-found 404, ...)
// `toTag` as for sipResponseForXmppError().
sip::Message sipRefusalFor(const sip::Message& request, const Error& error,
                           std::string_view toTag = {});

}  // namespace impd::gateway
