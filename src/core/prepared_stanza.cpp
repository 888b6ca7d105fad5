#include "core/prepared_stanza.h"

#include "codec/xmpp/namespaces.h"
#include "xml/escape.h"

namespace impd::core {

void toClientNamespace(xml::Element& stanza) {
  namespace ns = xmpp::ns;
  if (stanza.ns().empty() || stanza.ns() == ns::kServer) stanza.setNs(std::string(ns::kClient));
  for (xml::Element* child : stanza.childElements()) {
    if (child->ns().empty() || child->ns() == ns::kServer) toClientNamespace(*child);
  }
}

PreparedStanza::PreparedStanza(xml::Element stanza) : stanza_(std::move(stanza)) {
  toClientNamespace(stanza_);
  stanza_.setAttr("to", "");
  const std::string bytes = xml::serialize(stanza_, xmpp::ns::kClient);
  // Attribute values are written in double quotes with any quote inside escaped, and the
  // stanza's start tag comes before any child's, so the first empty 'to' is the one just set.
  // (Not finding it would mean the writer changed; bytesTo then serializes every time.)
  constexpr std::string_view kEmptyTo = " to=\"\"";
  const std::size_t at = bytes.find(kEmptyTo);
  if (at != std::string::npos) {
    const std::size_t valueAt = at + kEmptyTo.size() - 1;  // at the closing quote
    head_ = bytes.substr(0, valueAt);
    tail_ = bytes.substr(valueAt);
  }
}

xml::Element PreparedStanza::addressedTo(std::string_view to) const {
  xml::Element copy = stanza_;
  copy.setAttr("to", to);
  return copy;
}

std::string PreparedStanza::bytesTo(std::string_view to) const {
  if (head_.empty()) return xml::serialize(addressedTo(to), xmpp::ns::kClient);
  std::string out;
  out.reserve(head_.size() + to.size() + tail_.size() + 16);
  out += head_;
  xml::appendEscapedAttr(out, to);
  out += tail_;
  return out;
}

}  // namespace impd::core
