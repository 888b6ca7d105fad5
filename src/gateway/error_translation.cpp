// Errors across the gateway (error_translation.h).
#include "gateway/error_translation.h"

#include "codec/simple/error_map.h"
#include "codec/xmpp/namespaces.h"
#include "codec/xmpp/stanza.h"
#include "gateway/sip_common.h"

namespace impd::gateway {
namespace {

// The warn-text of a Warning value (warn-code SP warn-agent SP quoted-string), unquoted.
std::string warningText(std::string_view warning) {
  const std::size_t open = warning.find('"');
  const std::size_t close = warning.rfind('"');
  if (open == std::string_view::npos || close <= open) return {};
  std::string text;
  for (std::size_t i = open + 1; i < close; ++i) {
    if (warning[i] == '\\' && i + 1 < close) ++i;
    text.push_back(warning[i]);
  }
  return text;
}

}  // namespace

xml::Element xmppErrorForSipResponse(const xml::Element& original, const sip::Message& response) {
  const int status = response.status();
  const std::string_view condition = simple::xmppErrorForSipStatus(status);
  std::string text = "SIP " + std::to_string(status);
  const std::string_view reason =
      response.reason().empty() ? sip::reasonPhrase(status) : std::string_view(response.reason());
  if (!reason.empty()) text.append(" ").append(reason);
  if (auto warning = response.get("Warning")) {
    if (std::string detail = warningText(*warning); !detail.empty()) {
      text.append(": ").append(detail);
    }
  }
  return xmpp::makeErrorReply(original, condition, text);
}

std::string errorConditionOf(const xml::Element& errorStanza) {
  const xml::Element* error = errorStanza.child("error");
  if (!error) return "undefined-condition";
  for (const xml::Element* child : error->children({}, xmpp::ns::kStanzaErrors)) {
    if (child->name() != "text") return child->name();
  }
  return "undefined-condition";
}

int sipStatusForXmppErrorStanza(const xml::Element& errorStanza) {
  const std::string condition = errorConditionOf(errorStanza);
  const simple::XmppToSipRow* row = simple::findXmppToSip(condition);
  if (condition == "gone" && row && row->alternative != 0) {
    const xml::Element* error = errorStanza.child("error");
    const xml::Element* gone = error ? error->child("gone", xmpp::ns::kStanzaErrors) : nullptr;
    if (gone && !gone->text().empty()) return row->alternative;
  }
  return simple::sipStatusForXmppError(condition);
}

sip::Message sipResponseForXmppError(const sip::Message& request,
                                     const xml::Element& errorStanza, std::string_view toTag) {
  return responseTo(request, sipStatusForXmppErrorStanza(errorStanza), toTag);
}

sip::Message sipRefusalFor(const sip::Message& request, const Error& error,
                           std::string_view toTag) {
  if (error.condition == "unsupported-media-type") {
    sip::Message response = responseTo(request, 415, toTag);
    response.add("Accept", std::string(kAcceptedMessageTypes));
    return response;
  }
  if (error.condition == "too-large") return responseTo(request, 413, toTag);
  if (error.condition == "bad-event") {
    sip::Message response = responseTo(request, 489, toTag);
    response.add("Allow-Events", std::string(kPresenceEvent));
    return response;
  }
  return responseTo(request, simple::sipStatusForXmppError(error.condition), toTag);
}

}  // namespace impd::gateway
