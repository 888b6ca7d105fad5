// Messages, SIP -> XMPP (sip_to_xmpp_message.h).
#include "gateway/sip_to_xmpp_message.h"

#include "codec/simple/is_composing.h"
#include "codec/simple/namespaces.h"
#include "gateway/address_map.h"
#include "gateway/sip_body_text.h"
#include "gateway/sip_common.h"
#include "gateway/text_util.h"
#include "gateway/xmpp_common.h"

namespace impd::gateway {
namespace {

// COMPAT: Lync - delivery notices of its own format, meaningless to an XMPP client.
constexpr std::string_view kImdnType = "application/ms-imdn+xml";

Result<xml::Element> chatSkeleton(const sip::Message& request) {
  auto parties = partiesOf(request);
  if (!parties) return parties.error();
  xml::Element stanza = makeStanza("message", parties->sender.bare(), parties->target.bare(),
                                   "chat");
  if (auto callId = request.get("Call-ID"); callId && !callId->empty()) {
    stanza.addChild("thread", stanza.ns()).addText(*callId);
  }
  return stanza;
}

std::optional<xml::Element> typingStanza(xml::Element stanza, simple::ComposingState state) {
  stanza.addChild(chatStateElement(state == simple::ComposingState::active ? ChatState::composing
                                                                           : ChatState::paused));
  return stanza;
}

// The first language of Content-Language ("en-US, fr" -> "en-US").
std::string firstLanguage(const sip::Message& message) {
  auto value = message.get("Content-Language");
  if (!value) return {};
  auto languages = splitCommas(*value);
  return languages.empty() ? std::string() : std::string(languages.front());
}

}  // namespace

Result<std::optional<xml::Element>> translateSipMessage(const sip::Message& message) {
  if (message.body().size() > kMaxSipMessageBodyBytes) {
    return makeError("too-large", "MESSAGE body over the limit");
  }
  auto stanza = chatSkeleton(message);
  if (!stanza) return stanza.error();
  const std::string type = mediaTypeOf(message);
  if (type == kImdnType) return std::optional<xml::Element>();
  if (type == simple::kIsComposingType) {
    auto composing = simple::parseIsComposing(message.body());
    if (!composing) return composing.error();
    return typingStanza(std::move(*stanza), composing->state);
  }
  auto text = textOfSipBody(message.get("Content-Type").value_or(""), message.body());
  if (!text) return text.error();

  xml::Element& out = *stanza;
  if (std::string lang = firstLanguage(message); !lang.empty()) out.setAttr(kXmlLangAttr, lang);
  if (auto subject = message.get("Subject"); subject && !subject->empty()) {
    out.addChild("subject", out.ns()).addText(*subject);
  }
  out.addChild("body", out.ns()).addText(*text);
  out.addChild(chatStateElement(ChatState::active));
  return std::optional<xml::Element>(std::move(out));
}

Result<std::optional<xml::Element>> translateSipInfo(const sip::Message& info) {
  auto stanza = chatSkeleton(info);
  if (!stanza) return stanza.error();
  if (mediaTypeOf(info) != simple::kKeyboardActivityType) return std::optional<xml::Element>();
  auto state = simple::parseKeyboardActivity(info.body());
  if (!state) return std::optional<xml::Element>();
  return typingStanza(std::move(*stanza), *state);
}

Result<xml::Element> translateSipBye(const sip::Message& bye) {
  auto stanza = chatSkeleton(bye);
  if (!stanza) return stanza.error();
  stanza->addChild(chatStateElement(ChatState::gone));
  return stanza;
}

}  // namespace impd::gateway
