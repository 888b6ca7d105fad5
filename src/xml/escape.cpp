#include "xml/escape.h"

#include "xml/element.h"

namespace impd::xml {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool isContinuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// What an ASCII byte becomes; an empty view means "copy as is".
std::string_view asciiEscape(unsigned char c, bool attr) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '\r':
      return "&#13;";
    case '"':
      return attr ? "&quot;" : std::string_view{};
    case '\'':
      return attr ? "&apos;" : std::string_view{};
    case '\t':
      return attr ? "&#9;" : std::string_view{};
    case '\n':
      return attr ? "&#10;" : std::string_view{};
    default:
      return c < 0x20 ? kReplacement : std::string_view{};
  }
}

void appendEscaped(std::string& out, std::string_view s, bool attr) {
  // Copy runs of bytes that need nothing in one append; most text is such a run.
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::string_view replacement;
    std::size_t length = 1;
    if (c < 0x80) {
      replacement = asciiEscape(c, attr);
    } else {
      length = xmlCharLength(s.substr(i));
      if (length == 0) {
        replacement = kReplacement;
        length = 1;
      }
    }
    if (replacement.empty()) {
      i += length;
      continue;
    }
    out.append(s.data() + run, i - run);
    out.append(replacement);
    i += length;
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
}

}  // namespace

std::size_t xmlCharLength(std::string_view s) {
  if (s.empty()) return 0;
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c0 = at(0);
  if (c0 < 0x80) return c0 >= 0x20 || c0 == '\t' || c0 == '\n' || c0 == '\r' ? 1 : 0;
  std::size_t length = c0 < 0xC2 ? 0 : c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : c0 < 0xF5 ? 4 : 0;
  if (length == 0 || s.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if (!isContinuation(at(i))) return 0;
  }
  unsigned char c1 = at(1);
  if (c0 == 0xE0 && c1 < 0xA0) return 0;                    // overlong
  if (c0 == 0xED && c1 >= 0xA0) return 0;                   // UTF-16 surrogates
  if (c0 == 0xEF && c1 == 0xBF && at(2) >= 0xBE) return 0;  // U+FFFE, U+FFFF
  if (c0 == 0xF0 && c1 < 0x90) return 0;                    // overlong
  if (c0 == 0xF4 && c1 >= 0x90) return 0;                   // above U+10FFFF
  return length;
}

void appendEscapedText(std::string& out, std::string_view s) {
  appendEscaped(out, s, false);
}
void appendEscapedAttr(std::string& out, std::string_view s) {
  appendEscaped(out, s, true);
}

std::string escapeText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  appendEscapedText(out, s);
  return out;
}

std::string escapeAttr(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  appendEscapedAttr(out, s);
  return out;
}

}  // namespace impd::xml
