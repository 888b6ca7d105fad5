#pragma once
// Character classes and small scanners of the RFC 3261 §25 grammar, shared by the message
// parser, the URI parser and the typed header views. Internal to the SIP codec.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace impd::sip::grammar {

inline bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
inline bool isAlnum(char c) {
  return isAlpha(c) || isDigit(c);
}
inline bool isHex(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline bool isWsp(char c) {
  return c == ' ' || c == '\t';
}
// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
bool isTokenChar(char c);
// unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
bool isUnreserved(char c);
bool isToken(std::string_view s);  // non-empty and every char a token char

int hexValue(char c);  // -1 when not a hex digit
char lower(char c);
std::string toLower(std::string_view s);
std::string toUpper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);  // SP, HTAB, CR, LF at both ends

// Percent-decoding of `escaped` (RFC 3261 §25.1); nullopt on a '%' not followed by two hex
// digits. `allowed` says which raw characters may appear unescaped.
std::optional<std::string> percentDecode(std::string_view s, bool (*allowed)(char));
// Escapes every byte for which `allowed` is false.
std::string percentEncode(std::string_view s, bool (*allowed)(char));

// A quoted-string body written back with the escapes RFC 3261 §25.1 needs: DQUOTE and
// backslash, and the control bytes qdtext cannot carry. CR and LF cannot be carried at all
// (not even as quoted-pair) and become spaces.
std::string quote(std::string_view text);

// A cursor over a header value. LWS is SP/HTAB, optionally preceded by one CRLF (a fold that
// was not joined yet), matching RFC 3261's LWS = [*WSP CRLF] 1*WSP.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return atEnd() ? '\0' : text_[pos_]; }
  std::size_t pos() const { return pos_; }
  void seek(std::size_t pos) { pos_ = pos < text_.size() ? pos : text_.size(); }
  std::string_view rest() const { return text_.substr(pos_); }
  std::string_view text() const { return text_; }

  // Skips LWS; returns whether anything was skipped.
  bool skipLws();
  // Consumes `c` when it is next.
  bool consume(char c);
  // SWS c SWS, the form of SEMI, EQUAL, COMMA, SLASH and COLON.
  bool consumeSeparator(char c);
  // The longest run of token chars (possibly empty).
  std::string_view token();
  // The longest run of chars satisfying `pred` (possibly empty).
  std::string_view span(bool (*pred)(char));
  // A quoted-string at the cursor (which must be on DQUOTE), returned unescaped.
  Result<std::string> quotedString();

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

Error badRequest(std::string message);

}  // namespace impd::sip::grammar
