// Transaction matching keys (RFC 3261 §17.1.3, §17.2.3).
#include "codec/sip/transaction_key.h"

#include <initializer_list>
#include <string>

#include "codec/sip/grammar.h"
#include "codec/sip/headers.h"

namespace impd::sip {
namespace {

// Fields are joined with '\n', which no parsed header value can contain, so two different
// field lists never give the same key.
TransactionKey joined(std::initializer_list<std::string_view> fields) {
  TransactionKey key;
  for (const auto field : fields) {
    if (!key.value.empty()) key.value += '\n';
    key.value += field;
  }
  return key;
}

struct Parts {
  std::string branch;
  std::string sentBy;  // host lower-cased, port only when written
  std::string method;  // from the request line, or the CSeq of a response
  std::uint32_t cseq = 0;
};

Result<Parts> partsOf(const Message& message) {
  const auto via = message.get("Via");
  if (!via) return makeError("bad-request", "no Via header");
  auto parsedVia = Via::parse(*via);
  if (!parsedVia) return makeError("bad-request", "bad Via: " + parsedVia.error().message);
  const auto cseqValue = message.get("CSeq");
  if (!cseqValue) return makeError("bad-request", "no CSeq header");
  auto cseq = CSeq::parse(*cseqValue);
  if (!cseq) return makeError("bad-request", "bad CSeq: " + cseq.error().message);

  Parts parts;
  parts.branch = std::string(parsedVia->branch());
  parts.sentBy = grammar::toLower(parsedVia->host());
  if (const auto port = parsedVia->port()) parts.sentBy += ":" + std::to_string(*port);
  parts.method = message.isRequest() ? message.method() : cseq->method;
  parts.cseq = cseq->number;
  return parts;
}

}  // namespace

Result<TransactionKey> clientKeyOf(const Message& message) {
  auto parts = partsOf(message);
  if (!parts) return parts.error();
  // We only ever send RFC 3261 branches, so anything else cannot be an answer to us.
  if (!parts->branch.starts_with(kBranchCookie)) {
    return makeError("bad-request", "top Via has no RFC 3261 branch");
  }
  return joined({"C", parts->branch, parts->method});
}

Result<TransactionKey> serverKeyOf(const Message& message, std::string_view method) {
  auto parts = partsOf(message);
  if (!parts) return parts.error();
  std::string m = method.empty() ? parts->method : std::string(method);
  if (m == "ACK") m = "INVITE";

  if (parts->branch.starts_with(kBranchCookie)) {
    return joined({"S", parts->branch, parts->sentBy, m});
  }
  // RFC 2543 peer (§17.2.3, second half): no unique branch, so match on the dialog fields,
  // CSeq number and the top Via. Simplified: the To tag is left out, because the ACK of a
  // non-2xx carries the tag of our response while the INVITE carried none.
  const auto callId = message.get("Call-ID");
  const auto from = message.get("From");
  if (!callId || !from) return makeError("bad-request", "no Call-ID or From header");
  auto fromAddr = NameAddr::parse(*from);
  if (!fromAddr) return makeError("bad-request", "bad From: " + fromAddr.error().message);
  return joined({"L", *callId, fromAddr->tag(), std::to_string(parts->cseq), parts->sentBy,
                 parts->branch, m});
}

}  // namespace impd::sip
