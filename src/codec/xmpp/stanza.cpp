#include "codec/xmpp/stanza.h"

#include <array>
#include <utility>

#include "codec/xmpp/namespaces.h"

namespace impd::xmpp {

StanzaKind stanzaKind(const xml::Element& e) {
  if (e.name() == "message") return StanzaKind::kMessage;
  if (e.name() == "presence") return StanzaKind::kPresence;
  if (e.name() == "iq") return StanzaKind::kIq;
  return StanzaKind::kOther;
}

std::string_view defaultErrorType(std::string_view condition) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kTypes{{
      {"bad-request", "modify"},           {"conflict", "cancel"},
      {"feature-not-implemented", "cancel"}, {"forbidden", "auth"},
      {"gone", "cancel"},                  {"internal-server-error", "cancel"},
      {"item-not-found", "cancel"},        {"jid-malformed", "modify"},
      {"not-acceptable", "modify"},        {"not-allowed", "cancel"},
      {"not-authorized", "auth"},          {"policy-violation", "modify"},
      {"recipient-unavailable", "wait"},   {"redirect", "modify"},
      {"registration-required", "auth"},   {"remote-server-not-found", "cancel"},
      {"remote-server-timeout", "wait"},   {"resource-constraint", "wait"},
      {"service-unavailable", "cancel"},   {"subscription-required", "auth"},
      {"undefined-condition", "cancel"},   {"unexpected-request", "wait"},
  }};
  for (const auto& [name, type] : kTypes) {
    if (name == condition) return type;
  }
  return "cancel";
}

bool isError(const xml::Element& stanza) { return stanza.attr("type") == "error"; }

namespace {
xml::Element swappedReply(const xml::Element& stanza, std::string_view type) {
  xml::Element reply(stanza.name(), stanza.ns());
  if (stanza.hasAttr("from")) reply.setAttr("to", stanza.attr("from"));
  if (stanza.hasAttr("to")) reply.setAttr("from", stanza.attr("to"));
  if (stanza.hasAttr("id")) reply.setAttr("id", stanza.attr("id"));
  reply.setAttr("type", type);
  return reply;
}
}  // namespace

xml::Element makeErrorReply(const xml::Element& stanza, std::string_view condition,
                            std::string_view text, std::string_view type) {
  xml::Element reply = swappedReply(stanza, "error");
  xml::Element& error = reply.addChild("error", reply.ns());
  error.setAttr("type", type.empty() ? defaultErrorType(condition) : type);
  error.addChild(std::string(condition), std::string(ns::kStanzaErrors));
  if (!text.empty()) error.addChild("text", std::string(ns::kStanzaErrors)).addText(text);
  return reply;
}

void addAppCondition(xml::Element& errorReply, std::string_view name, std::string_view nsUri) {
  if (xml::Element* error = errorReply.child("error")) {
    error->addChild(std::string(name), std::string(nsUri));
  }
}

xml::Element makeIqResult(const xml::Element& request) { return swappedReply(request, "result"); }

std::string streamErrorXml(std::string_view condition, std::string_view text) {
  std::string out = "<stream:error><";
  out.append(condition);
  out.append(" xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
  if (!text.empty()) {
    out.append("<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>");
    out.append(xml::escapeText(text));
    out.append("</text>");
  }
  out.append("</stream:error></stream:stream>");
  return out;
}

std::string streamHeaderXml(std::string_view defaultNs, std::string_view from, std::string_view to,
                            std::string_view id, std::string_view lang) {
  std::string out = "<?xml version='1.0'?><stream:stream xmlns='";
  out.append(defaultNs);
  out.append("' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'");
  if (!from.empty()) out.append(" from='").append(xml::escapeAttr(from)).append("'");
  if (!to.empty()) out.append(" to='").append(xml::escapeAttr(to)).append("'");
  if (!id.empty()) out.append(" id='").append(xml::escapeAttr(id)).append("'");
  out.append(" xml:lang='").append(xml::escapeAttr(lang)).append("'>");
  return out;
}

}  // namespace impd::xmpp
