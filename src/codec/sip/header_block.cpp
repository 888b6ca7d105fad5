// Header section lexing shared by the parser and the stream framer (header_block.h).
#include "codec/sip/header_block.h"

#include <cstdint>

#include "codec/sip/grammar.h"

namespace impd::sip {

std::size_t findHeaderEnd(std::string_view text, std::size_t limit) {
  std::size_t scan = text.size() < limit + 4 ? text.size() : limit + 4;
  for (std::size_t i = text.find('\n'); i != std::string_view::npos && i < scan;
       i = text.find('\n', i + 1)) {
    if (i + 1 < text.size() && text[i + 1] == '\n') return i + 2;
    if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

Result<HeaderBlock> lexHeaderBlock(std::string_view section, const Limits& limits) {
  HeaderBlock block;
  std::size_t pos = 0;
  bool first = true;
  while (pos < section.size()) {
    std::size_t nl = section.find('\n', pos);
    if (nl == std::string_view::npos) nl = section.size();
    std::string_view line = section.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) return grammar::badRequest("bare CR in header");
    if (first) {
      block.startLine = line;
      first = false;
      continue;
    }
    if (line.empty()) break;  // the blank line ending the section
    if (grammar::isWsp(line.front())) {
      if (block.headers.empty()) return grammar::badRequest("continuation line without header");
      std::string_view more = grammar::trim(line);
      std::string& value = block.headers.back().value;
      if (!more.empty()) {
        if (!value.empty()) value.push_back(' ');
        value += more;
      }
      continue;
    }
    if (block.headers.size() >= limits.maxHeaders)
      return makeError("too-large", "too many headers");
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return grammar::badRequest("header line without colon");
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && grammar::isWsp(name.back())) name.remove_suffix(1);
    if (!grammar::isToken(name)) return grammar::badRequest("bad header name");
    block.headers.push_back(RawHeader{name, std::string(grammar::trim(line.substr(colon + 1)))});
  }
  if (first) return grammar::badRequest("empty message");
  return block;
}

Result<std::optional<std::size_t>> contentLength(const std::vector<RawHeader>& headers,
                                                 const Limits& limits) {
  std::optional<std::size_t> length;
  for (const RawHeader& h : headers) {
    if (!grammar::iequals(h.name, "Content-Length") && !grammar::iequals(h.name, "l")) continue;
    std::string_view v = h.value;
    if (v.empty()) return grammar::badRequest("empty Content-Length");
    std::size_t n = 0;
    bool tooLarge = false;
    for (char c : v) {
      if (!grammar::isDigit(c)) return grammar::badRequest("Content-Length is not a number");
      if (n > limits.maxBodyBytes || n > (SIZE_MAX - 9) / 10) {
        tooLarge = true;  // keep scanning: a later non-digit still makes it a bad request
        continue;
      }
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (tooLarge || n > limits.maxBodyBytes) return makeError("too-large", "body too large");
    if (length && *length != n) return grammar::badRequest("conflicting Content-Length values");
    length = n;
  }
  return length;
}

std::vector<std::string> splitList(std::string_view value) {
  std::vector<std::string> out;
  bool inQuote = false, inAngle = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (inQuote) {
      if (c == '\\') {
        ++i;  // quoted-pair: the next byte is literal, even a DQUOTE
      } else if (c == '"') {
        inQuote = false;
      }
    } else if (inAngle) {
      if (c == '>') inAngle = false;
    } else if (c == '"') {
      inQuote = true;
    } else if (c == '<') {
      inAngle = true;
    } else if (c == ',') {
      out.emplace_back(grammar::trim(value.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.emplace_back(grammar::trim(value.substr(start)));
  return out;
}

}  // namespace impd::sip
