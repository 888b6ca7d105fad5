// Header parameters (params.h).
#include "codec/sip/params.h"

#include "codec/sip/grammar.h"

namespace impd::sip {

namespace {

// gen-value = token / host; a host adds ':' '[' ']' (IPv6 references) to the token chars.
bool isPlainValueChar(char c) {
  return grammar::isTokenChar(c) || c == ':' || c == '[' || c == ']';
}

}  // namespace

bool isPlainParamValue(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (!isPlainValueChar(c)) return false;
  }
  return true;
}

Result<Params> Params::parse(grammar::Scanner& in) {
  Params out;
  while (in.consumeSeparator(';')) {
    Param p;
    std::string_view name = in.token();
    if (name.empty()) return grammar::badRequest("empty parameter name");
    p.name = std::string(name);
    if (in.consumeSeparator('=')) {
      p.hasValue = true;
      if (in.peek() == '"') {
        auto q = in.quotedString();
        if (!q) return q.error();
        p.value = std::move(*q);
        p.quoted = true;
      } else {
        std::string_view v = in.span(isPlainValueChar);
        if (v.empty()) return grammar::badRequest("parameter " + p.name + " has an empty value");
        p.value = std::string(v);
      }
    }
    out.items_.push_back(std::move(p));
  }
  return out;
}

const Param* Params::find(std::string_view name) const {
  for (const Param& p : items_) {
    if (grammar::iequals(p.name, name)) return &p;
  }
  return nullptr;
}

std::optional<std::string_view> Params::get(std::string_view name) const {
  const Param* p = find(name);
  if (!p) return std::nullopt;
  return std::string_view(p->value);
}

void Params::set(std::string_view name, std::string_view value, bool quoted) {
  Param p{std::string(name), std::string(value), true, quoted || !isPlainParamValue(value)};
  for (Param& existing : items_) {
    if (grammar::iequals(existing.name, name)) {
      existing = std::move(p);
      return;
    }
  }
  items_.push_back(std::move(p));
}

void Params::setFlag(std::string_view name) {
  Param p{std::string(name), {}, false, false};
  for (Param& existing : items_) {
    if (grammar::iequals(existing.name, name)) {
      existing = std::move(p);
      return;
    }
  }
  items_.push_back(std::move(p));
}

bool Params::remove(std::string_view name) {
  std::size_t before = items_.size();
  std::erase_if(items_, [&](const Param& p) { return grammar::iequals(p.name, name); });
  return items_.size() != before;
}

std::string Params::str() const {
  std::string out;
  for (const Param& p : items_) {
    out.push_back(';');
    out += p.name;
    if (!p.hasValue) continue;
    out.push_back('=');
    out += p.quoted ? grammar::quote(p.value) : p.value;
  }
  return out;
}

}  // namespace impd::sip
