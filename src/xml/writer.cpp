#include <array>

#include "xml/element.h"
#include "xml/escape.h"
#include "xml/namespaces.h"

namespace impd::xml {
namespace {

struct SplitName {
  std::string_view ns;
  std::string_view local;
};

// "uri|local" as the parser produces it. The separator is searched from the right because a
// namespace URI may itself contain '|' while a local name cannot.
SplitName splitAttrName(std::string_view name) {
  auto bar = name.rfind('|');
  if (bar == std::string_view::npos) return {{}, name};
  return {name.substr(0, bar), name.substr(bar + 1)};
}

// Prefixes for attribute namespaces, declared on the element that uses them. Each element
// declares its own, so no scope bookkeeping across elements is needed.
class AttrPrefixes {
 public:
  // Returns the prefix index for ns, declaring it into out on first use.
  std::size_t prefixFor(std::string& out, std::string_view ns) {
    for (std::size_t i = 0; i < declared_.size(); ++i) {
      if (declared_[i] == ns) return i;
    }
    declared_.push_back(ns);
    out += " xmlns:ns";
    out += std::to_string(declared_.size());
    out += "=\"";
    appendEscapedAttr(out, ns);
    out += '"';
    return declared_.size() - 1;
  }

 private:
  std::vector<std::string_view> declared_;
};

void writeAttributes(std::string& out, const Element& e) {
  AttrPrefixes prefixes;
  for (const Element::Attribute& a : e.attributes()) {
    auto [ns, local] = splitAttrName(a.name);
    if (ns.empty()) {
      // Namespace declarations are derived from ns(); one set by hand would clash with them.
      // Other prefixed plain names would have an unbound prefix: namespaced attributes must
      // be named "uri|local".
      if (local == "xmlns" || local.find(':') != std::string_view::npos) continue;
      out += ' ';
    } else if (ns == kXmlNs) {
      out += " xml:";
    } else if (ns == kXmlnsNs) {
      continue;
    } else {
      std::size_t index = prefixes.prefixFor(out, ns);
      out += " ns";
      out += std::to_string(index + 1);
      out += ':';
    }
    out += local;
    out += "=\"";
    appendEscapedAttr(out, a.value);
    out += '"';
  }
}

// scopeNs is the default namespace in scope where e is written.
void writeElement(std::string& out, const Element& e, std::string_view scopeNs) {
  // The xml namespace may not be bound as a default namespace, only used through its prefix.
  bool xmlPrefixed = e.ns() == kXmlNs;
  out += '<';
  if (xmlPrefixed) out += "xml:";
  out += e.name();
  std::string_view childScope = scopeNs;
  if (!xmlPrefixed) {
    if (e.ns() != scopeNs) {
      out += " xmlns=\"";
      appendEscapedAttr(out, e.ns());
      out += '"';
    }
    childScope = e.ns();
  }
  writeAttributes(out, e);
  if (e.nodes().empty()) {
    out += "/>";
    return;
  }
  out += '>';
  for (const Element::Node& node : e.nodes()) {
    if (const auto* text = std::get_if<std::string>(&node)) {
      appendEscapedText(out, *text);
    } else {
      writeElement(out, *std::get<std::unique_ptr<Element>>(node), childScope);
    }
  }
  out += "</";
  if (xmlPrefixed) out += "xml:";
  out += e.name();
  out += '>';
}

}  // namespace

void serializeTo(std::string& out, const Element& e, std::string_view parentNs) {
  writeElement(out, e, parentNs);
}

std::string serialize(const Element& e, std::string_view parentNs) {
  std::string out;
  serializeTo(out, e, parentNs);
  return out;
}

}  // namespace impd::xml
