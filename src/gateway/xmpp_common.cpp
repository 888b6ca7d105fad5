// XMPP building blocks shared by the gateway translations (xmpp_common.h).
#include "gateway/xmpp_common.h"

#include <array>

#include "codec/xmpp/namespaces.h"

namespace impd::gateway {
namespace {

struct ChatStateName {
  ChatState state;
  std::string_view name;
};

constexpr std::array<ChatStateName, 5> kChatStates{{
    {ChatState::active, "active"},
    {ChatState::composing, "composing"},
    {ChatState::paused, "paused"},
    {ChatState::inactive, "inactive"},
    {ChatState::gone, "gone"},
}};

}  // namespace

xml::Element makeStanza(std::string_view name, const xmpp::Jid& from, const xmpp::Jid& to,
                        std::string_view type) {
  xml::Element stanza{std::string(name), std::string(xmpp::ns::kClient)};
  if (!from.empty()) stanza.setAttr("from", from.str());
  if (!to.empty()) stanza.setAttr("to", to.str());
  if (!type.empty()) stanza.setAttr("type", type);
  return stanza;
}

std::string_view chatStateName(ChatState state) {
  for (const auto& entry : kChatStates) {
    if (entry.state == state) return entry.name;
  }
  return "active";
}

std::optional<ChatState> chatStateOf(const xml::Element& message) {
  for (const auto& entry : kChatStates) {
    if (message.child(entry.name, kChatStatesNs)) return entry.state;
  }
  return std::nullopt;
}

xml::Element chatStateElement(ChatState state) {
  return xml::Element{std::string(chatStateName(state)), std::string(kChatStatesNs)};
}

std::optional<std::string> messageBody(const xml::Element& message) {
  const auto bodies = message.children("body", message.ns());
  if (bodies.empty()) return std::nullopt;
  for (const xml::Element* body : bodies) {
    if (!body->hasAttr(kXmlLangAttr)) return body->text();
  }
  return bodies.front()->text();
}

}  // namespace impd::gateway
