#pragma once
// An XML element tree with resolved namespaces: the in-memory form of one stanza.
// Every element carries its namespace URI; prefixes are a serialization detail.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace impd::xml {

class Element {
 public:
  struct Attribute {
    std::string name;  // local name; namespaced attributes as "uri|local" (only xml:lang in practice)
    std::string value;
  };
  using Node = std::variant<std::unique_ptr<Element>, std::string>;  // child element or text

  Element() = default;
  Element(std::string name, std::string ns) : name_(std::move(name)), ns_(std::move(ns)) {}
  Element(const Element& other);
  Element& operator=(const Element& other);
  Element(Element&&) noexcept = default;
  Element& operator=(Element&&) noexcept = default;

  const std::string& name() const { return name_; }
  const std::string& ns() const { return ns_; }
  void setName(std::string name) { name_ = std::move(name); }
  void setNs(std::string ns) { ns_ = std::move(ns); }
  bool is(std::string_view name, std::string_view ns) const { return name_ == name && ns_ == ns; }

  // Attribute access; attr() returns "" when absent.
  std::string_view attr(std::string_view name) const;
  bool hasAttr(std::string_view name) const;
  Element& setAttr(std::string_view name, std::string_view value);  // replaces if present
  void removeAttr(std::string_view name);
  const std::vector<Attribute>& attributes() const { return attrs_; }

  // Children. addChild returns the stored child so calls can be chained into it.
  Element& addChild(Element child);
  Element& addChild(std::string name, std::string ns) { return addChild(Element(std::move(name), std::move(ns))); }
  Element& addText(std::string_view text);  // appends to the last text node when adjacent
  // First child element with that name and namespace (ns "" matches any namespace).
  const Element* child(std::string_view name, std::string_view ns = {}) const;
  Element* child(std::string_view name, std::string_view ns = {});
  std::vector<const Element*> children(std::string_view name = {}, std::string_view ns = {}) const;
  std::vector<Element*> childElements();
  // Removes every child element with that name/namespace; returns how many.
  std::size_t removeChildren(std::string_view name, std::string_view ns = {});
  const std::vector<Node>& nodes() const { return nodes_; }
  void clearChildren() { nodes_.clear(); }

  // Concatenated direct text content.
  std::string text() const;
  // Text of the first child with that name ("" when absent).
  std::string childText(std::string_view name, std::string_view ns = {}) const;

 private:
  std::string name_;
  std::string ns_;
  std::vector<Attribute> attrs_;
  std::vector<Node> nodes_;
};

// Serializes an element. The element's namespace is declared with xmlns when it differs from
// parentNs (so a stanza written inside a jabber:client stream omits xmlns='jabber:client').
// Text and attribute values are escaped; output is always well-formed UTF-8 XML.
std::string serialize(const Element& e, std::string_view parentNs = {});
void serializeTo(std::string& out, const Element& e, std::string_view parentNs = {});

// Escaping helpers for writers that build stream headers by hand.
std::string escapeText(std::string_view s);
std::string escapeAttr(std::string_view s);

}  // namespace impd::xml
