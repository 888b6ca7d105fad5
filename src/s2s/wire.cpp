#include "s2s/wire.h"

#include "codec/xmpp/namespaces.h"
#include "codec/xmpp/stanza.h"

namespace impd::s2s {

namespace ns = xmpp::ns;

namespace {
void appendAttr(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out.append(" ").append(name).append("='").append(xml::escapeAttr(value)).append("'");
}

std::string dialbackElement(std::string_view name, std::string_view from, std::string_view to,
                            std::string_view id, std::string_view type, std::string_view key,
                            std::string_view errorCondition) {
  std::string out = "<db:";
  out.append(name);
  appendAttr(out, "from", from);
  appendAttr(out, "to", to);
  appendAttr(out, "id", id);
  appendAttr(out, "type", type);
  if (key.empty() && errorCondition.empty()) return out + "/>";
  out.append(">");
  if (!errorCondition.empty()) {
    out.append("<error type='").append(xmpp::defaultErrorType(errorCondition)).append("'><");
    out.append(errorCondition).append(" xmlns='").append(ns::kStanzaErrors).append("'/></error>");
  } else {
    out.append(xml::escapeText(key));
  }
  return out.append("</db:").append(name).append(">");
}

void switchNamespace(xml::Element& e, std::string_view from, std::string_view to) {
  if (e.ns().empty() || e.ns() == from) e.setNs(std::string(to));
  for (xml::Element* child : e.childElements()) {
    if (child->ns().empty() || child->ns() == from) switchNamespace(*child, from, to);
  }
}
}  // namespace

std::string streamHeader(std::string_view from, std::string_view to, std::string_view id,
                         bool version1) {
  std::string out =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
      "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'";
  if (version1) out.append(" version='1.0'");
  appendAttr(out, "from", from);
  appendAttr(out, "to", to);
  appendAttr(out, "id", id);
  return out + ">";
}

std::string dialbackResultRequest(std::string_view from, std::string_view to, std::string_view key) {
  return dialbackElement("result", from, to, {}, {}, key, {});
}

std::string dialbackVerifyRequest(std::string_view from, std::string_view to, std::string_view id,
                                  std::string_view key) {
  return dialbackElement("verify", from, to, id, {}, key, {});
}

std::string dialbackResultAnswer(std::string_view from, std::string_view to, std::string_view type,
                                 std::string_view errorCondition) {
  return dialbackElement("result", from, to, {}, type, {}, errorCondition);
}

std::string dialbackVerifyAnswer(std::string_view from, std::string_view to, std::string_view id,
                                 std::string_view type, std::string_view errorCondition) {
  return dialbackElement("verify", from, to, id, type, {}, errorCondition);
}

std::string dialbackErrorCondition(const xml::Element& answer) {
  const xml::Element* error = answer.child("error");
  if (error == nullptr) return {};
  for (const xml::Element* c : error->children()) {
    if (c->ns() == ns::kStanzaErrors && c->name() != "text") return c->name();
  }
  return {};
}

std::string serializeForServer(xml::Element stanza) {
  switchNamespace(stanza, ns::kClient, ns::kServer);
  return xml::serialize(stanza, ns::kServer);
}

}  // namespace impd::s2s
