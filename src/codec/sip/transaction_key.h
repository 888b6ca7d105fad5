#pragma once
// How messages are matched to transactions (RFC 3261 §17.1.3 and §17.2.3). A client
// transaction is named by the branch we put in the top Via and the CSeq method; a server
// transaction by the top Via's branch and sent-by plus the request method, where an ACK is
// filed under INVITE (it belongs to the INVITE server transaction it acknowledges) and a
// CANCEL under its own method (it is a transaction of its own). Branches without the
// kBranchCookie prefix come from RFC 2543 peers and get the older matching rules.
#include <string_view>

#include "base/result.h"
#include "codec/sip/message.h"
#include "codec/sip/transaction.h"

namespace impd::sip {

// Key of a request we send, or of a response we receive to it. Errors ("bad-request") when
// the top Via or the CSeq is missing or unparsable.
Result<TransactionKey> clientKeyOf(const Message& message);

// Key of a request we receive, or of the response we send to it. `method` overrides the
// method taken from the message; cancelTarget() uses it to find the INVITE a CANCEL names.
Result<TransactionKey> serverKeyOf(const Message& message, std::string_view method = {});

}  // namespace impd::sip
