// Character classes and scanners of the RFC 3261 grammar (grammar.h).
#include "codec/sip/grammar.h"

namespace impd::sip::grammar {

bool isTokenChar(char c) {
  if (isAlnum(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '!':
    case '%':
    case '*':
    case '_':
    case '+':
    case '`':
    case '\'':
    case '~':
      return true;
    default:
      return false;
  }
}

bool isUnreserved(char c) {
  if (isAlnum(c)) return true;
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '!':
    case '~':
    case '*':
    case '\'':
    case '(':
    case ')':
      return true;
    default:
      return false;
  }
}

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

int hexValue(char c) {
  if (isDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string toLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

std::string toUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<std::string> percentDecode(std::string_view s, bool (*allowed)(char)) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hexValue(s[i + 1]);
      int lo = hexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (allowed(c)) {
      out.push_back(c);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string percentEncode(std::string_view s, bool (*allowed)(char)) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '%' && allowed(c)) {
      out.push_back(c);
    } else {
      auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  return out;
}

std::string quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    auto b = static_cast<unsigned char>(c);
    if (c == '\r' || c == '\n') {
      out.push_back(' ');
    } else if (c == '"' || c == '\\' || (b < 0x20 && c != '\t') || b == 0x7f) {
      out.push_back('\\');
      out.push_back(c);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

bool Scanner::skipLws() {
  std::size_t start = pos_;
  for (;;) {
    while (pos_ < text_.size() && isWsp(text_[pos_])) ++pos_;
    // A CRLF counts only when whitespace follows it (a fold); a bare CRLF ends nothing here.
    if (pos_ + 2 < text_.size() && text_[pos_] == '\r' && text_[pos_ + 1] == '\n' &&
        isWsp(text_[pos_ + 2])) {
      pos_ += 2;
      continue;
    }
    break;
  }
  return pos_ != start;
}

bool Scanner::consume(char c) {
  if (atEnd() || text_[pos_] != c) return false;
  ++pos_;
  return true;
}

bool Scanner::consumeSeparator(char c) {
  std::size_t start = pos_;
  skipLws();
  if (!consume(c)) {
    pos_ = start;
    return false;
  }
  skipLws();
  return true;
}

std::string_view Scanner::token() {
  return span(isTokenChar);
}

std::string_view Scanner::span(bool (*pred)(char)) {
  std::size_t start = pos_;
  while (pos_ < text_.size() && pred(text_[pos_])) ++pos_;
  return text_.substr(start, pos_ - start);
}

Result<std::string> Scanner::quotedString() {
  if (!consume('"')) return badRequest("expected a quoted-string");
  std::string out;
  while (pos_ < text_.size()) {
    char c = text_[pos_++];
    auto b = static_cast<unsigned char>(c);
    if (c == '"') return out;
    if (c == '\\') {
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      if (pos_ >= text_.size()) break;
      char e = text_[pos_++];
      auto eb = static_cast<unsigned char>(e);
      if (e == '\r' || e == '\n' || eb > 0x7f) return badRequest("bad quoted-pair");
      out.push_back(e);
    } else if (c == '\r') {
      // Only a fold (CRLF WSP) may appear; it stands for one space.
      if (pos_ + 1 < text_.size() && text_[pos_] == '\n' && isWsp(text_[pos_ + 1])) {
        ++pos_;
        out.push_back(' ');
      } else {
        return badRequest("bare CR in quoted-string");
      }
    } else if ((b < 0x20 && c != '\t') || b == 0x7f) {
      return badRequest("control character in quoted-string");
    } else {
      out.push_back(c);
    }
  }
  return badRequest("unterminated quoted-string");
}

Error badRequest(std::string message) {
  return makeError("bad-request", std::move(message));
}

}  // namespace impd::sip::grammar
