#pragma once
// XMPP building blocks shared by the gateway translations: the namespaces of the extensions
// the gateway reads or writes (chat states, MUC invitations, XHTML-IM), stanza skeletons in
// jabber:client (the namespace the router carries stanzas in), and XEP-0085 chat states.
#include <optional>
#include <string>
#include <string_view>

#include "codec/xmpp/jid.h"
#include "xml/element.h"

namespace impd::gateway {

inline constexpr std::string_view kChatStatesNs = "http://jabber.org/protocol/chatstates";
inline constexpr std::string_view kMucUserNs = "http://jabber.org/protocol/muc#user";
inline constexpr std::string_view kConferenceNs = "jabber:x:conference";  // XEP-0249
inline constexpr std::string_view kXhtmlImNs = "http://jabber.org/protocol/xhtml-im";
// How the xml layer names the xml:lang attribute.
inline constexpr std::string_view kXmlLangAttr = "http://www.w3.org/XML/1998/namespace|lang";

// <name xmlns='jabber:client' from=... to=... [type=...]/>; an empty JID leaves its attribute
// out, an empty type too.
xml::Element makeStanza(std::string_view name, const xmpp::Jid& from, const xmpp::Jid& to,
                        std::string_view type = {});

// XEP-0085 chat states.
enum class ChatState { active, composing, paused, inactive, gone };
std::string_view chatStateName(ChatState state);
// The first chat-state child of a message; nullopt when it has none.
std::optional<ChatState> chatStateOf(const xml::Element& message);
xml::Element chatStateElement(ChatState state);

// The text of the message's <body>: the one without xml:lang, else the first one. nullopt when
// there is no <body> at all (an empty <body/> is an empty string).
std::optional<std::string> messageBody(const xml::Element& message);

}  // namespace impd::gateway
