// Plain text of SIP IM bodies (sip_body_text.h).
#include "gateway/sip_body_text.h"

#include <cstdint>
#include <optional>
#include <vector>

#include "base/base64.h"
#include "codec/sip/headers.h"
#include "gateway/text_util.h"

namespace impd::gateway {
namespace {

Error unsupported(std::string message) {
  return makeError("unsupported-media-type", std::move(message));
}

bool charsetIsUtf8(const sip::ParamValue& type) {
  auto charset = type.param("charset");
  if (!charset) return true;  // RFC 3428 text/plain: UTF-8 is what peers mean without one
  return iequals(*charset, "utf-8") || iequals(*charset, "utf8") || iequals(*charset, "us-ascii");
}

void appendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// A numeric character reference's code point, if it is one XML can carry.
std::optional<std::uint32_t> numericEntity(std::string_view digits, int base) {
  if (digits.empty() || digits.size() > 8) return std::nullopt;
  std::uint32_t cp = 0;
  for (char c : digits) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) return std::nullopt;
    cp = cp * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(v);
  }
  const bool control = cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r';
  if (control || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp == 0xFFFE ||
      cp == 0xFFFF) {
    return std::nullopt;
  }
  return cp;
}

// Decodes the entity starting at html[pos] == '&'; returns the bytes consumed, 0 if none.
std::size_t decodeEntity(std::string_view html, std::size_t pos, std::string& out) {
  const std::size_t semi = html.find(';', pos);
  if (semi == std::string_view::npos || semi - pos > 10) return 0;
  const std::string_view name = html.substr(pos + 1, semi - pos - 1);
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"lt", "<"}, {"gt", ">"}, {"amp", "&"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
  for (const auto& [entity, text] : kNamed) {
    if (name == entity) {
      out.append(text);
      return semi - pos + 1;
    }
  }
  std::optional<std::uint32_t> cp;
  if (name.size() > 1 && name[0] == '#' && (name[1] == 'x' || name[1] == 'X')) {
    cp = numericEntity(name.substr(2), 16);
  } else if (!name.empty() && name[0] == '#') {
    cp = numericEntity(name.substr(1), 10);
  }
  if (!cp) return 0;
  appendUtf8(out, *cp);
  return semi - pos + 1;
}

std::string tagName(std::string_view tag) {
  std::size_t end = 0;
  while (end < tag.size() && tag[end] != ' ' && tag[end] != '\t' && tag[end] != '\r' &&
         tag[end] != '\n' && tag[end] != '/' && tag[end] != '>') {
    ++end;
  }
  return asciiLower(tag.substr(0, end));
}

bool endsLine(std::string_view name, bool closing) {
  if (name == "br") return true;
  if (!closing) return false;
  return name == "p" || name == "div" || name == "li" || name == "tr" || name == "h1" ||
         name == "h2" || name == "h3" || name == "h4" || name == "h5" || name == "h6";
}

struct Part {
  std::string contentType = "text/plain";
  std::string transferEncoding;
  std::string_view content;
};

// The parts of a multipart body (RFC 2046 §5.1.1); the preamble and epilogue are dropped.
std::vector<Part> splitMultipart(std::string_view body, std::string_view boundary) {
  std::vector<Part> parts;
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t pos = body.find(delimiter);
  while (pos != std::string_view::npos) {
    std::size_t start = pos + delimiter.size();
    if (body.substr(start, 2) == "--") break;  // the close delimiter
    const std::size_t lineEnd = body.find('\n', start);
    if (lineEnd == std::string_view::npos) break;
    start = lineEnd + 1;
    std::size_t next = body.find("\n" + delimiter, start);
    std::string_view raw = body.substr(start, next == std::string_view::npos ? next : next - start);
    if (next != std::string_view::npos && !raw.empty() && raw.back() == '\r') raw.remove_suffix(1);

    Part part;
    // Headers up to the first empty line; a part with no headers starts with one.
    for (;;) {
      const std::size_t eol = raw.find('\n');
      std::string_view line = raw.substr(0, eol);
      raw = eol == std::string_view::npos ? std::string_view() : raw.substr(eol + 1);
      line = trim(line);
      if (line.empty()) break;
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string_view name = trim(line.substr(0, colon));
      const std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "Content-Type")) part.contentType = std::string(value);
      if (iequals(name, "Content-Transfer-Encoding")) part.transferEncoding = asciiLower(value);
    }
    part.content = raw;
    parts.push_back(std::move(part));
    pos = next == std::string_view::npos ? next : next + 1;
  }
  return parts;
}

std::optional<std::string> partText(const Part& part, std::string_view wanted) {
  auto type = sip::ParamValue::parseMediaType(part.contentType);
  if (!type || type->value() != wanted || !charsetIsUtf8(*type)) return std::nullopt;
  std::string content(part.content);
  if (part.transferEncoding == "base64") {
    std::string compact;
    for (char c : content) {
      if (c != '\r' && c != '\n' && c != ' ' && c != '\t') compact.push_back(c);
    }
    auto decoded = base64Decode(compact);
    if (!decoded) return std::nullopt;
    content = std::move(*decoded);
  } else if (!part.transferEncoding.empty() && part.transferEncoding != "7bit" &&
             part.transferEncoding != "8bit" && part.transferEncoding != "binary") {
    return std::nullopt;
  }
  return wanted == "text/html" ? htmlToText(content) : content;
}

}  // namespace

std::string htmlToText(std::string_view html) {
  std::string out;
  std::size_t pos = 0;
  while (pos < html.size()) {
    const char c = html[pos];
    if (c == '&') {
      const std::size_t used = decodeEntity(html, pos, out);
      if (used == 0) out.push_back('&');
      pos += used == 0 ? 1 : used;
      continue;
    }
    if (c != '<') {
      out.push_back(c);
      ++pos;
      continue;
    }
    if (html.substr(pos, 4) == "<!--") {
      const std::size_t end = html.find("-->", pos + 4);
      pos = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    const std::size_t close = html.find('>', pos);
    if (close == std::string_view::npos) {  // not a tag after all
      out.append(html.substr(pos));
      break;
    }
    std::string_view tag = html.substr(pos + 1, close - pos - 1);
    const bool closing = !tag.empty() && tag.front() == '/';
    if (closing) tag.remove_prefix(1);
    const std::string name = tagName(tag);
    pos = close + 1;
    if (!closing && (name == "script" || name == "style" || name == "head")) {
      const std::size_t end = asciiLower(html.substr(pos)).find("</" + name);
      pos = end == std::string::npos ? html.size() : html.find('>', pos + end);
      pos = pos == std::string_view::npos ? html.size() : pos + 1;
      continue;
    }
    if (endsLine(name, closing)) out.push_back('\n');
  }
  return std::string(trim(out));
}

Result<std::string> textOfSipBody(std::string_view contentType, std::string_view body) {
  if (trim(contentType).empty()) return std::string(body);  // RFC 3428: text/plain is the norm
  auto type = sip::ParamValue::parseMediaType(contentType);
  if (!type) return unsupported("unreadable Content-Type");
  const std::string& media = type->value();
  if (media == "text/plain" || media == "text/html") {
    if (!charsetIsUtf8(*type)) return unsupported("charset other than UTF-8");
    return media == "text/html" ? htmlToText(body) : std::string(body);
  }
  if (media != "multipart/alternative") return unsupported("body type " + media);
  auto boundary = type->param("boundary");
  if (!boundary || boundary->empty()) return makeError("bad-request", "multipart without boundary");
  const std::vector<Part> parts = splitMultipart(body, *boundary);
  for (std::string_view wanted : {"text/plain", "text/html"}) {
    for (const Part& part : parts) {
      if (auto text = partText(part, wanted)) return std::move(*text);
    }
  }
  return unsupported("multipart/alternative without a text/plain or text/html part");
}

}  // namespace impd::gateway
