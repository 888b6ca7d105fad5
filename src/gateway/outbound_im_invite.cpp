// IM sessions, XMPP -> SIP (outbound_im_invite.h).
#include "gateway/outbound_im_invite.h"

#include "codec/simple/ms_text_format.h"
#include "codec/simple/namespaces.h"
#include "gateway/address_map.h"
#include "gateway/sip_common.h"

namespace impd::gateway {

std::vector<std::string> sessionAcceptTypes() {
  return {"text/plain", "text/html", "multipart/alternative",
          std::string(simple::kIsComposingType)};
}

Result<OutboundInvite> buildImInvite(const xmpp::Jid& from, const xmpp::Jid& to,
                                     const ImInviteConfig& config, Random& random,
                                     std::optional<std::string_view> firstMessage) {
  if (config.contact.empty()) return makeError("bad-request", "INVITE needs our Contact");
  auto target = aorForJid(to);
  if (!target) return target.error();
  auto fromAddress = nameAddrForJid(from);
  if (!fromAddress) return fromAddress.error();
  auto toAddress = nameAddrForJid(to);
  if (!toAddress) return toAddress.error();
  simple::SdpParams sdp = config.sdp;
  if (sdp.acceptTypes.empty()) sdp.acceptTypes = sessionAcceptTypes();
  auto offer = simple::buildSdpOffer(sdp);
  if (!offer) return offer.error();

  OutboundInvite out;
  out.callId = newCallId(random, config.callIdHost);
  out.localTag = newTag(random);
  fromAddress->setTag(out.localTag);

  sip::Message& invite = out.request;
  invite = sip::Message::request("INVITE", target->str());
  invite.add("Max-Forwards", "70");
  invite.add("From", fromAddress->str());
  invite.add("To", toAddress->str());
  invite.add("Call-ID", out.callId);
  invite.add("CSeq", "1 INVITE");
  invite.add("Contact", config.contact);
  invite.add("Allow", std::string(kAllowMethods));
  // COMPAT: Lync - its own clients list ms-sender on IM INVITEs (protocol-notes §3.4).
  invite.add("Supported", "ms-sender");
  if (firstMessage && !firstMessage->empty() && firstMessage->size() <= kMaxPiggybackBytes) {
    invite.add("ms-text-format", simple::formatMsTextFormat("text/plain", *firstMessage));
    out.firstMessageInInvite = true;
  }
  invite.setBody(std::move(*offer), simple::kSdpType);
  return out;
}

bool calleeDisplayedFirstMessage(const sip::Message& response) {
  return response.isResponse() && response.status() >= 200 && response.status() < 300 &&
         listsOptionTag(response, "Supported", "ms-text-format");
}

}  // namespace impd::gateway
