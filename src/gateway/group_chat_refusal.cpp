// Refusing group chat towards SIP contacts (group_chat_refusal.h).
#include "gateway/group_chat_refusal.h"

#include "codec/xmpp/stanza.h"
#include "gateway/xmpp_common.h"

namespace impd::gateway {

bool isGroupChatInvitation(const xml::Element& message) {
  if (message.name() != "message") return false;
  if (message.child("x", kConferenceNs)) return true;
  const xml::Element* mucUser = message.child("x", kMucUserNs);
  return mucUser && mucUser->child("invite", kMucUserNs);
}

std::optional<xml::Element> refuseGroupChatToSip(const xml::Element& message) {
  if (message.name() != "message" || xmpp::isError(message)) return std::nullopt;
  if (!isGroupChatInvitation(message) && message.attr("type") != "groupchat") {
    return std::nullopt;
  }
  return xmpp::makeErrorReply(message, "feature-not-implemented", kGroupChatRefusalText);
}

}  // namespace impd::gateway
