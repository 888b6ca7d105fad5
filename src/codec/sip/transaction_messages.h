#pragma once
// Requests and responses the transaction layer (and its TU) derive from another message
// rather than compose: the ACK of a non-2xx final response (§17.1.1.3), a CANCEL (§9.1) and
// the 100 Trying an INVITE server transaction sends on its own (§8.2.6).
#include "codec/sip/message.h"

namespace impd::sip {

// Same Request-URI, Call-ID, From, CSeq number, top Via and Route as the INVITE; To from the
// response (it carries the UAS's tag); CSeq method ACK. It shares the INVITE's transaction.
Message ackForNon2xx(const Message& invite, const Message& response);

// Same Request-URI, Call-ID, From, To, CSeq number, top Via and Route as the request; CSeq
// method CANCEL. Send it only after a provisional response arrived (§9.1).
Message cancelFor(const Message& request);

// Via, From, To, Call-ID, CSeq and Timestamp copied from the request (§8.2.6.1); no To tag,
// since a 100 never creates a dialog.
Message tryingFor(const Message& invite);

}  // namespace impd::sip
