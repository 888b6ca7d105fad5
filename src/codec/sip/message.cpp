// Message construction and header access (message.h). Names are stored canonical (compact
// forms expanded), so every lookup canonicalizes its argument once and compares
// case-insensitively (unknown headers keep the spelling they arrived with).
#include "codec/sip/message.h"

#include <algorithm>

#include "codec/sip/grammar.h"
#include "codec/sip/header_names.h"

namespace impd::sip {

Message Message::request(std::string method, std::string requestUri) {
  Message m;
  m.method_ = std::move(method);
  m.uri_ = std::move(requestUri);
  return m;
}

Message Message::response(int status, std::string reason) {
  Message m;
  m.status_ = status;
  m.reason_ = reason.empty() ? std::string(reasonPhrase(status)) : std::move(reason);
  return m;
}

std::optional<std::string_view> Message::get(std::string_view name) const {
  std::string canonical = canonicalHeaderName(name);
  for (const Header& h : headers_) {
    if (grammar::iequals(h.name, canonical)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Message::getAll(std::string_view name) const {
  std::string canonical = canonicalHeaderName(name);
  std::vector<std::string_view> out;
  for (const Header& h : headers_) {
    if (grammar::iequals(h.name, canonical)) out.emplace_back(h.value);
  }
  return out;
}

void Message::add(std::string_view name, std::string value) {
  headers_.push_back(Header{canonicalHeaderName(name), std::move(value)});
}

void Message::prepend(std::string_view name, std::string value) {
  std::string canonical = canonicalHeaderName(name);
  auto first = std::find_if(headers_.begin(), headers_.end(),
                            [&](const Header& h) { return grammar::iequals(h.name, canonical); });
  // With none of its name yet, the new header goes first: a Via or Record-Route pushed on a
  // message that has none still ends up on top.
  if (first == headers_.end()) first = headers_.begin();
  headers_.insert(first, Header{std::move(canonical), std::move(value)});
}

void Message::set(std::string_view name, std::string value) {
  std::string canonical = canonicalHeaderName(name);
  auto first = std::find_if(headers_.begin(), headers_.end(),
                            [&](const Header& h) { return grammar::iequals(h.name, canonical); });
  if (first == headers_.end()) {
    headers_.push_back(Header{std::move(canonical), std::move(value)});
    return;
  }
  first->value = std::move(value);
  auto index = first - headers_.begin();
  auto rest = std::remove_if(headers_.begin() + index + 1, headers_.end(),
                             [&](const Header& h) { return grammar::iequals(h.name, canonical); });
  headers_.erase(rest, headers_.end());
}

std::size_t Message::remove(std::string_view name) {
  std::string canonical = canonicalHeaderName(name);
  return std::erase_if(headers_,
                       [&](const Header& h) { return grammar::iequals(h.name, canonical); });
}

bool Message::removeFirst(std::string_view name) {
  std::string canonical = canonicalHeaderName(name);
  auto first = std::find_if(headers_.begin(), headers_.end(),
                            [&](const Header& h) { return grammar::iequals(h.name, canonical); });
  if (first == headers_.end()) return false;
  headers_.erase(first);
  return true;
}

void Message::setBody(std::string body, std::string_view contentType) {
  body_ = std::move(body);
  if (!contentType.empty()) set("Content-Type", std::string(contentType));
}

}  // namespace impd::sip
