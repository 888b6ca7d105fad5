// IM sessions, SIP -> XMPP (inbound_im_invite.h).
#include "gateway/inbound_im_invite.h"

#include "codec/simple/ms_text_format.h"
#include "codec/simple/namespaces.h"
#include "gateway/address_map.h"
#include "gateway/outbound_im_invite.h"
#include "gateway/sip_body_text.h"
#include "gateway/sip_common.h"
#include "gateway/text_util.h"
#include "gateway/xmpp_common.h"

namespace impd::gateway {
namespace {

InviteDecision refuse(const sip::Message& invite, std::string_view toTag, int status,
                      std::string_view header = {}, std::string value = {}) {
  InviteDecision decision;
  decision.response = responseTo(invite, status, toTag);
  if (!header.empty()) decision.response.add(header, std::move(value));
  return decision;
}

std::string requiredExtensions(const sip::Message& invite) {
  std::string out;
  for (const auto value : invite.getAll("Require")) {
    for (std::string_view tag : splitCommas(value)) {
      if (!out.empty()) out.append(", ");
      out.append(tag);
    }
  }
  return out;
}

// COMPAT: Lync - the first message of a session piggy-backed on the INVITE.
// The ms-text-format first message as text, or nullopt when it is absent or not something we
// can show (then Lync sends it as a MESSAGE, which takes the normal path).
std::optional<std::string> piggybackedText(const sip::Message& invite) {
  auto header = invite.get("ms-text-format");
  if (!header) return std::nullopt;
  auto format = simple::parseMsTextFormat(*header);
  if (!format || !format->body || format->body->empty()) return std::nullopt;
  if (format->contentType != "text/plain" && format->contentType != "text/html") {
    return std::nullopt;
  }
  if (!format->charset.empty() && !iequals(format->charset, "utf-8")) return std::nullopt;
  std::string text =
      format->contentType == "text/html" ? htmlToText(*format->body) : std::move(*format->body);
  if (trim(text).empty()) return std::nullopt;
  return text;
}

xml::Element firstMessageStanza(const RequestParties& parties, const sip::Message& invite,
                                std::string text) {
  xml::Element stanza = makeStanza("message", parties.sender.bare(), parties.target.bare(), "chat");
  if (auto callId = invite.get("Call-ID")) stanza.addChild("thread", stanza.ns()).addText(*callId);
  stanza.addChild("body", stanza.ns()).addText(text);
  stanza.addChild(chatStateElement(ChatState::active));
  return stanza;
}

}  // namespace

InviteDecision decideInboundInvite(const sip::Message& invite, std::string_view toTag,
                                   const InboundInviteConfig& config) {
  if (std::string required = requiredExtensions(invite); !required.empty()) {
    return refuse(invite, toTag, 420, "Unsupported", std::move(required));
  }
  auto parties = partiesOf(invite);
  if (!parties) {
    const bool sender = parties.error().condition == "jid-malformed";
    return refuse(invite, toTag,
                  sipStatusForUnmappable(sender ? AddressRole::sender : AddressRole::target));
  }
  if (trim(invite.body()).empty()) {
    return refuse(invite, toTag, 488, "Warning", "304 impd \"No session offer\"");
  }
  if (mediaTypeOf(invite) != simple::kSdpType) {
    return refuse(invite, toTag, 415, "Accept", std::string(simple::kSdpType));
  }
  auto offer = simple::parseSdp(invite.body());
  if (!offer) return refuse(invite, toTag, 400);
  if (!offer->messageSession) {
    return refuse(invite, toTag, 488, "Warning", "304 impd \"Only instant messaging\"");
  }
  auto ourUri = aorForJid(parties->target);
  simple::SdpParams sdp = config.sdp;
  if (sdp.acceptTypes.empty()) sdp.acceptTypes = sessionAcceptTypes();
  auto answer = ourUri ? simple::buildSdpAnswer(sdp, ourUri->str())
                       : Result<std::string>(ourUri.error());
  if (!answer) return refuse(invite, toTag, 500);

  InviteDecision decision;
  decision.accepted = true;
  decision.response = responseTo(invite, 200, toTag);
  copyRecordRoute(invite, decision.response);
  decision.response.add("Contact", config.contact);
  decision.response.add("Allow", std::string(kAllowMethods));
  if (auto text = piggybackedText(invite)) {
    decision.firstMessage = firstMessageStanza(*parties, invite, std::move(*text));
    decision.response.add("Supported", "ms-text-format");
  }
  decision.response.setBody(std::move(*answer), simple::kSdpType);
  return decision;
}

}  // namespace impd::gateway
