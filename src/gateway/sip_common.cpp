// SIP building blocks shared by the gateway translations (sip_common.h).
#include "gateway/sip_common.h"

#include "gateway/text_util.h"

namespace impd::gateway {

std::string newTag(Random& random) {
  return random.token(8);
}

std::string newCallId(Random& random, std::string_view host) {
  std::string id = random.token(16);
  if (!host.empty()) id.append("@").append(host);
  return id;
}

sip::Message responseTo(const sip::Message& request, int status, std::string_view toTag) {
  sip::Message response = sip::Message::response(status, std::string(sip::reasonPhrase(status)));
  for (const auto via : request.getAll("Via")) response.add("Via", std::string(via));
  if (auto from = request.get("From")) response.add("From", std::string(*from));
  if (auto to = request.get("To")) {
    std::string value(*to);
    if (!toTag.empty()) {
      auto parsed = sip::NameAddr::parse(value);
      if (parsed && parsed->tag().empty()) {
        parsed->setTag(toTag);
        value = parsed->str();
      }
    }
    response.add("To", std::move(value));
  }
  if (auto callId = request.get("Call-ID")) response.add("Call-ID", std::string(*callId));
  if (auto cseq = request.get("CSeq")) response.add("CSeq", std::string(*cseq));
  return response;
}

void copyRecordRoute(const sip::Message& request, sip::Message& response) {
  for (const auto route : request.getAll("Record-Route")) {
    response.add("Record-Route", std::string(route));
  }
}

std::optional<sip::ParamValue> contentTypeOf(const sip::Message& message) {
  auto value = message.get("Content-Type");
  if (!value) return std::nullopt;
  auto parsed = sip::ParamValue::parseMediaType(*value);
  if (!parsed) return std::nullopt;
  return std::move(*parsed);
}

std::string mediaTypeOf(const sip::Message& message) {
  auto type = contentTypeOf(message);
  return type ? type->value() : std::string();
}

bool listsOptionTag(const sip::Message& message, std::string_view header, std::string_view tag) {
  for (const auto value : message.getAll(header)) {
    for (std::string_view item : splitCommas(value)) {
      if (iequals(item, tag)) return true;
    }
  }
  return false;
}

}  // namespace impd::gateway
