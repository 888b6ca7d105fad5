#pragma once
// SIP <-> XMPP error mapping (RFC 7247 section 8) as two tables: what SIP final response a
// gateway sends for an XMPP stanza error, and what stanza error it sends for a SIP failure
// response. The XMPP error type that goes with a condition is xmpp::defaultErrorType()
// (codec/xmpp/stanza.h, RFC 6120 section 8.3.3); it is not repeated here.
#include <span>
#include <string_view>

namespace impd::simple {

struct XmppToSipRow {
  std::string_view condition;  // RFC 6120 defined condition
  int status;                  // the SIP response
  int alternative;             // the other response the RFC allows in a special case; 0: none
};

struct SipToXmppRow {
  int status;
  std::string_view condition;
};

// The SIP response for an XMPP stanza error condition; an unknown condition is treated as
// undefined-condition (RFC 6120 section 8.3.2), i.e. 400. The row's `alternative` is for the
// caller who knows the special case: gone with a new address is 301, unexpected-request that
// is not about a pending request is 400.
int sipStatusForXmppError(std::string_view condition);
const XmppToSipRow* findXmppToSip(std::string_view condition);

// The XMPP condition for a SIP failure response. Codes without a row fall back by class:
// 3xx redirect, 4xx bad-request, 5xx internal-server-error, 6xx service-unavailable; anything
// outside 300..699 is undefined-condition.
std::string_view xmppErrorForSipStatus(int status);

// Every row, in table order, for tests and documentation.
std::span<const XmppToSipRow> xmppToSipRows();
std::span<const SipToXmppRow> sipToXmppRows();

}  // namespace impd::simple
