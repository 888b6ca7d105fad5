// Messages derived from others: ACK for non-2xx, CANCEL, 100 Trying.
#include "codec/sip/transaction_messages.h"

#include <string>
#include <string_view>

namespace impd::sip {
namespace {

void copyAll(const Message& from, Message& to, std::string_view name) {
  for (const auto value : from.getAll(name)) to.add(name, std::string(value));
}

void copyFirst(const Message& from, Message& to, std::string_view name) {
  if (const auto value = from.get(name)) to.add(name, std::string(*value));
}

// The CSeq number as written ("314159 INVITE" -> "314159"); the request already passed the
// transaction layer's checks, so the header is there and well-formed.
std::string cseqNumber(const Message& message) {
  const std::string_view cseq = message.get("CSeq").value_or("");
  const auto end = cseq.find_first_of(" \t");
  return std::string(cseq.substr(0, end));
}

// A request that shares `request`'s transaction identity but carries another method.
Message sibling(const Message& request, std::string_view method, const Message& toSource) {
  Message out = Message::request(std::string(method), request.requestUri());
  copyFirst(request, out, "Via");  // only the top Via: it names the transaction
  out.add("Max-Forwards", "70");
  copyAll(request, out, "Route");
  copyFirst(request, out, "From");
  copyFirst(toSource, out, "To");
  copyFirst(request, out, "Call-ID");
  out.add("CSeq", cseqNumber(request) + " " + std::string(method));
  return out;
}

}  // namespace

Message ackForNon2xx(const Message& invite, const Message& response) {
  return sibling(invite, "ACK", response);
}

Message cancelFor(const Message& request) {
  return sibling(request, "CANCEL", request);
}

Message tryingFor(const Message& invite) {
  Message out = Message::response(100, "Trying");
  copyAll(invite, out, "Via");
  for (const std::string_view name : {"From", "To", "Call-ID", "CSeq", "Timestamp"}) {
    copyFirst(invite, out, name);
  }
  return out;
}

}  // namespace impd::sip
