#include "xml/element.h"

#include <algorithm>

namespace impd::xml {
namespace {

bool matches(const Element& e, std::string_view name, std::string_view ns) {
  return (name.empty() || e.name() == name) && (ns.empty() || e.ns() == ns);
}

const Element* asElement(const Element::Node& node) {
  const auto* child = std::get_if<std::unique_ptr<Element>>(&node);
  return child ? child->get() : nullptr;
}

}  // namespace

Element::Element(const Element& other) : name_(other.name_), ns_(other.ns_), attrs_(other.attrs_) {
  nodes_.reserve(other.nodes_.size());
  for (const Node& node : other.nodes_) {
    if (const Element* child = asElement(node)) {
      nodes_.emplace_back(std::make_unique<Element>(*child));
    } else {
      nodes_.emplace_back(std::get<std::string>(node));
    }
  }
}

Element& Element::operator=(const Element& other) {
  if (this != &other) {
    Element copy(other);
    *this = std::move(copy);
  }
  return *this;
}

std::string_view Element::attr(std::string_view name) const {
  for (const Attribute& a : attrs_) {
    if (a.name == name) return a.value;
  }
  return {};
}

bool Element::hasAttr(std::string_view name) const {
  return std::any_of(attrs_.begin(), attrs_.end(),
                     [&](const Attribute& a) { return a.name == name; });
}

Element& Element::setAttr(std::string_view name, std::string_view value) {
  for (Attribute& a : attrs_) {
    if (a.name == name) {
      a.value.assign(value);
      return *this;
    }
  }
  attrs_.push_back(Attribute{std::string(name), std::string(value)});
  return *this;
}

void Element::removeAttr(std::string_view name) {
  std::erase_if(attrs_, [&](const Attribute& a) { return a.name == name; });
}

Element& Element::addChild(Element child) {
  auto& stored = nodes_.emplace_back(std::make_unique<Element>(std::move(child)));
  return *std::get<std::unique_ptr<Element>>(stored);
}

Element& Element::addText(std::string_view text) {
  if (text.empty()) return *this;
  if (!nodes_.empty()) {
    if (auto* last = std::get_if<std::string>(&nodes_.back())) {
      last->append(text);
      return *this;
    }
  }
  nodes_.emplace_back(std::string(text));
  return *this;
}

const Element* Element::child(std::string_view name, std::string_view ns) const {
  for (const Node& node : nodes_) {
    const Element* e = asElement(node);
    if (e && matches(*e, name, ns)) return e;
  }
  return nullptr;
}

Element* Element::child(std::string_view name, std::string_view ns) {
  return const_cast<Element*>(std::as_const(*this).child(name, ns));
}

std::vector<const Element*> Element::children(std::string_view name, std::string_view ns) const {
  std::vector<const Element*> out;
  for (const Node& node : nodes_) {
    const Element* e = asElement(node);
    if (e && matches(*e, name, ns)) out.push_back(e);
  }
  return out;
}

std::vector<Element*> Element::childElements() {
  std::vector<Element*> out;
  for (Node& node : nodes_) {
    if (auto* child = std::get_if<std::unique_ptr<Element>>(&node)) out.push_back(child->get());
  }
  return out;
}

std::size_t Element::removeChildren(std::string_view name, std::string_view ns) {
  return std::erase_if(nodes_, [&](const Node& node) {
    const Element* e = asElement(node);
    return e && matches(*e, name, ns);
  });
}

std::string Element::text() const {
  std::string out;
  for (const Node& node : nodes_) {
    if (const auto* s = std::get_if<std::string>(&node)) out += *s;
  }
  return out;
}

std::string Element::childText(std::string_view name, std::string_view ns) const {
  const Element* e = child(name, ns);
  return e ? e->text() : std::string();
}

}  // namespace impd::xml
