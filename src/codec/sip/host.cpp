// Hosts, IP addresses and ports of the RFC 3261 grammar (host.h).
#include "codec/sip/host.h"

#include <vector>

#include "codec/sip/grammar.h"

namespace impd::sip::host {

using grammar::isAlnum;
using grammar::isAlpha;
using grammar::isDigit;

std::optional<std::array<std::uint8_t, 4>> parseIpv4(std::string_view text) {
  std::array<std::uint8_t, 4> out{};
  std::size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    std::size_t start = pos;
    unsigned value = 0;
    while (pos < text.size() && isDigit(text[pos]) && pos - start < 3) {
      value = value * 10 + static_cast<unsigned>(text[pos] - '0');
      ++pos;
    }
    if (pos == start || value > 255) return std::nullopt;
    out[static_cast<std::size_t>(part)] = static_cast<std::uint8_t>(value);
  }
  if (pos != text.size()) return std::nullopt;
  return out;
}

namespace {

// One group of 1-4 hex digits.
std::optional<std::uint16_t> parseGroup(std::string_view g) {
  if (g.empty() || g.size() > 4) return std::nullopt;
  unsigned v = 0;
  for (char c : g) {
    int h = grammar::hexValue(c);
    if (h < 0) return std::nullopt;
    v = v * 16 + static_cast<unsigned>(h);
  }
  return static_cast<std::uint16_t>(v);
}

// Parses a ':'-separated run of groups (possibly ending in an IPv4 part when `tail`).
bool parseGroups(std::string_view text, bool tail, std::vector<std::uint16_t>& out) {
  if (text.empty()) return true;
  std::size_t pos = 0;
  for (;;) {
    std::size_t colon = text.find(':', pos);
    std::string_view piece =
        text.substr(pos, colon == std::string_view::npos ? colon : colon - pos);
    if (colon == std::string_view::npos && tail && piece.find('.') != std::string_view::npos) {
      auto v4 = parseIpv4(piece);
      if (!v4) return false;
      out.push_back(static_cast<std::uint16_t>((*v4)[0] << 8 | (*v4)[1]));
      out.push_back(static_cast<std::uint16_t>((*v4)[2] << 8 | (*v4)[3]));
      return true;
    }
    auto g = parseGroup(piece);
    if (!g) return false;
    out.push_back(*g);
    if (colon == std::string_view::npos) return true;
    pos = colon + 1;
  }
}

}  // namespace

std::optional<std::array<std::uint8_t, 16>> parseIpv6(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::vector<std::uint16_t> head, tail;
  std::size_t gap = text.find("::");
  bool compressed = gap != std::string_view::npos;
  if (compressed) {
    if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    if (!parseGroups(text.substr(0, gap), false, head)) return std::nullopt;
    if (!parseGroups(text.substr(gap + 2), true, tail)) return std::nullopt;
    if (head.size() + tail.size() > 7) return std::nullopt;
  } else {
    if (!parseGroups(text, true, head) || head.size() != 8) return std::nullopt;
  }
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < head.size(); ++i) {
    out[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(head[i] & 0xff);
  }
  std::size_t offset = 8 - tail.size();
  for (std::size_t i = 0; i < tail.size(); ++i) {
    out[2 * (offset + i)] = static_cast<std::uint8_t>(tail[i] >> 8);
    out[2 * (offset + i) + 1] = static_cast<std::uint8_t>(tail[i] & 0xff);
  }
  return out;
}

bool isHostname(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty()) return false;
  std::string_view label;
  std::size_t pos = 0;
  for (;;) {
    std::size_t dot = text.find('.', pos);
    label = text.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
    if (label.empty() || !isAlnum(label.front()) || !isAlnum(label.back())) return false;
    for (char c : label) {
      if (!isAlnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return isAlpha(label.front());  // toplabel
}

std::size_t scanHost(std::string_view text) {
  if (text.empty()) return 0;
  if (text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return 0;
    return parseIpv6(text.substr(1, close - 1)) ? close + 1 : 0;
  }
  std::size_t n = 0;
  while (n < text.size() && (isAlnum(text[n]) || text[n] == '.' || text[n] == '-')) ++n;
  std::string_view host = text.substr(0, n);
  if (parseIpv4(host) || isHostname(host)) return n;
  return 0;
}

std::optional<std::uint16_t> parsePort(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  unsigned v = 0;
  for (char c : digits) {
    if (!isDigit(c)) return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

bool hostsEqual(std::string_view a, std::string_view b) {
  if (a.size() > 2 && b.size() > 2 && a.front() == '[' && b.front() == '[' && a.back() == ']' &&
      b.back() == ']') {
    auto x = parseIpv6(a.substr(1, a.size() - 2));
    auto y = parseIpv6(b.substr(1, b.size() - 2));
    if (x && y) return *x == *y;
  }
  return grammar::iequals(a, b);
}

bool isIpAddress(std::string_view text) {
  if (parseIpv4(text) || parseIpv6(text)) return true;
  return text.size() > 2 && text.front() == '[' && text.back() == ']' &&
         parseIpv6(text.substr(1, text.size() - 2)).has_value();
}

}  // namespace impd::sip::host
