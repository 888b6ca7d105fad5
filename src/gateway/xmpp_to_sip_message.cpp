// Messages, XMPP -> SIP (xmpp_to_sip_message.h).
#include "gateway/xmpp_to_sip_message.h"

#include "codec/simple/namespaces.h"
#include "gateway/address_map.h"
#include "gateway/sip_common.h"
#include "gateway/xmpp_common.h"

namespace impd::gateway {
namespace {

// A thread id used as Call-ID: RFC 3261 allows more (callid = word ["@" word]), but token
// characters and one '@' are what every stack copies back unharmed.
bool isCallIdChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
}

bool usableAsCallId(std::string_view thread) {
  if (thread.empty() || thread.size() > 128) return false;
  const std::size_t at = thread.find('@');
  if (at != std::string_view::npos && thread.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (char c : thread) {
    if (c != '@' && !isCallIdChar(c)) return false;
  }
  return thread.front() != '@' && thread.back() != '@';
}

// A language tag (RFC 5646): letters, digits and hyphens. Anything else is left out rather
// than written into a header.
bool isLanguageTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 35) return false;
  for (char c : tag) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

// Subject goes into a header: line breaks would end it early.
std::string oneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return out;
}

void addTextBody(sip::Message& request, const OutboundText& text) {
  if (!text.subject.empty()) request.add("Subject", oneLine(text.subject));
  if (isLanguageTag(text.language)) request.add("Content-Language", text.language);
  request.setBody(text.body, kTextPlainUtf8);
}

Result<sip::Message> pageModeRequest(const xmpp::Jid& from, const xmpp::Jid& to,
                                     std::string_view thread, Random& random,
                                     const PageModeConfig& config) {
  auto target = aorForJid(to);
  if (!target) return target.error();
  auto fromAddress = nameAddrForJid(from);
  if (!fromAddress) return fromAddress.error();
  auto toAddress = nameAddrForJid(to);
  if (!toAddress) return toAddress.error();
  fromAddress->setTag(newTag(random));

  sip::Message request = sip::Message::request("MESSAGE", target->str());
  request.add("Max-Forwards", "70");
  request.add("From", fromAddress->str());
  request.add("To", toAddress->str());
  request.add("Call-ID",
              usableAsCallId(thread) ? std::string(thread) : newCallId(random, config.callIdHost));
  request.add("CSeq", "1 MESSAGE");
  return request;
}

Result<xmpp::Jid> stanzaAddress(const xml::Element& stanza, std::string_view attribute) {
  auto jid = xmpp::Jid::parse(stanza.attr(attribute));
  if (!jid || jid->empty()) return makeError("jid-malformed", "message without a valid " +
                                                                 std::string(attribute));
  return std::move(*jid);
}

}  // namespace

Result<OutboundText> outboundTextOf(const xml::Element& message) {
  const std::string_view type = message.attr("type");
  if (type == "error") return makeError("bad-request", "an error is not sent as a MESSAGE");
  if (type == "groupchat") {
    return makeError("feature-not-implemented", "no group chat with SIP-federated users");
  }
  auto body = messageBody(message);
  if (!body) return makeError("no-body", "message without <body>");
  if (body->size() > kMaxMessageTextBytes) {
    return makeError("policy-violation", "message body too large for SIP");
  }
  OutboundText text;
  text.body = std::move(*body);
  text.subject = message.childText("subject", message.ns());
  text.thread = message.childText("thread", message.ns());
  text.language = std::string(message.attr(kXmlLangAttr));
  for (const xml::Element* b : message.children("body", message.ns())) {
    if (b->text() == text.body && b->hasAttr(kXmlLangAttr)) {
      text.language = std::string(b->attr(kXmlLangAttr));
      break;
    }
  }
  return text;
}

Result<sip::Message> buildPageModeMessage(const xml::Element& message, Random& random,
                                          const PageModeConfig& config) {
  auto text = outboundTextOf(message);
  if (!text) return text.error();
  auto from = stanzaAddress(message, "from");
  if (!from) return from.error();
  auto to = stanzaAddress(message, "to");
  if (!to) return to.error();
  auto request = pageModeRequest(*from, *to, text->thread, random, config);
  if (!request) return request.error();
  addTextBody(*request, *text);
  return request;
}

sip::Message buildSessionMessage(sip::Dialog& dialog, const OutboundText& text) {
  sip::Message request = dialog.createRequest("MESSAGE");
  addTextBody(request, text);
  return request;
}

TypingStyle typingStyleFor(presence::System peer) {
  // COMPAT: Lync/OCS - typing travels as INFO KeyboardActivity between their clients.
  if (peer == presence::System::lync || peer == presence::System::ocs) {
    return TypingStyle::keyboardActivityInfo;
  }
  return TypingStyle::isComposingMessage;
}

std::optional<simple::ComposingState> typingStateFor(const xml::Element& message) {
  const auto state = chatStateOf(message);
  if (!state || messageBody(message)) return std::nullopt;
  return *state == ChatState::composing ? simple::ComposingState::active
                                        : simple::ComposingState::idle;
}

namespace {

std::string isComposingBody(simple::ComposingState state) {
  simple::IsComposing composing;
  composing.state = state;
  composing.contentType = "text/plain";
  // RFC 3994: an active state carries the refresh interval after which the receiver
  // falls back to idle on its own; 60 s is the RFC's suggestion for text.
  if (state == simple::ComposingState::active) composing.refresh = 60;
  return simple::buildIsComposing(composing);
}

}  // namespace

sip::Message buildSessionTyping(sip::Dialog& dialog, simple::ComposingState state,
                                TypingStyle style) {
  if (style == TypingStyle::keyboardActivityInfo) {
    sip::Message info = dialog.createRequest("INFO");
    info.setBody(simple::buildKeyboardActivity(state), simple::kKeyboardActivityType);
    return info;
  }
  sip::Message request = dialog.createRequest("MESSAGE");
  request.setBody(isComposingBody(state), simple::kIsComposingType);
  return request;
}

Result<sip::Message> buildPageModeTyping(const xmpp::Jid& from, const xmpp::Jid& to,
                                         simple::ComposingState state, Random& random,
                                         const PageModeConfig& config) {
  auto request = pageModeRequest(from, to, {}, random, config);
  if (!request) return request.error();
  request->setBody(isComposingBody(state), simple::kIsComposingType);
  return request;
}

}  // namespace impd::gateway
