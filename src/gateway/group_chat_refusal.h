#pragma once
// Group chat cannot cross the SIP gateway: the seed's system "does not support a three-way IM
// session (group chat) with a Microsoft S4B/Lync contact", and SIP peers have no MUC. An
// invitation to a room sent to a SIP-federated contact is refused at once with an error that
// says why, instead of vanishing: the inviter (or the room, for a mediated invitation) learns
// that this contact cannot join.
#include <optional>
#include <string_view>

#include "xml/element.h"

namespace impd::gateway {

inline constexpr std::string_view kGroupChatRefusalText =
    "Group chat is not available with users of SIP-federated domains (Microsoft Lync / "
    "Skype for Business); invite them to a one-to-one chat instead.";

// Whether `message` invites its recipient to a room: an XEP-0045 mediated invitation
// (<x xmlns='http://jabber.org/protocol/muc#user'><invite/></x>) or an XEP-0249 direct one
// (<x xmlns='jabber:x:conference'/>).
bool isGroupChatInvitation(const xml::Element& message);

// The error reply for a message that must not reach a SIP contact: a room invitation, or a
// type='groupchat' message. feature-not-implemented (cancel) with kGroupChatRefusalText.
// nullopt for any other message, and for errors (never answered with an error).
std::optional<xml::Element> refuseGroupChatToSip(const xml::Element& message);

}  // namespace impd::gateway
