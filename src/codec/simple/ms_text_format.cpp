#include "codec/simple/ms_text_format.h"

#include "base/base64.h"
#include "codec/simple/text.h"

namespace impd::simple {
namespace {

Error bad(std::string_view what) {
  return makeError("bad-request", "malformed ms-text-format: " + std::string(what));
}

std::string_view unquote(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

std::optional<std::string> decodeBody(std::string_view value) {
  std::string compact;
  compact.reserve(value.size() + 2);
  for (char c : value) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact.push_back(c);
  }
  // Some senders drop the padding; restore it so the strict decoder can be used as it is.
  if (compact.size() % 4 == 1) return std::nullopt;
  while (compact.size() % 4 != 0) compact.push_back('=');
  return base64Decode(compact);
}

bool isTypeSubtype(std::string_view type) {
  std::size_t slash = type.find('/');
  return slash != std::string_view::npos && slash > 0 && slash + 1 < type.size() &&
         type.find('/', slash + 1) == std::string_view::npos && !detail::hasSpaceOrControl(type);
}

}  // namespace

Result<MsTextFormat> parseMsTextFormat(std::string_view value) {
  if (value.size() > kMaxMsTextFormatBytes) return bad("too large");
  MsTextFormat format;
  std::size_t semicolon = value.find(';');
  std::string_view type = detail::trim(value.substr(0, semicolon));
  if (!isTypeSubtype(type)) return bad("no type/subtype");
  format.contentType = detail::asciiLower(type);

  std::string_view rest =
      semicolon == std::string_view::npos ? std::string_view{} : value.substr(semicolon + 1);
  while (!rest.empty()) {
    std::size_t end = rest.find(';');
    std::string_view parameter = detail::trim(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (parameter.empty()) continue;  // "a;;b" or a trailing ';'
    std::size_t equals = parameter.find('=');
    if (equals == std::string_view::npos) return bad("parameter without '='");
    std::string_view name = detail::trim(parameter.substr(0, equals));
    std::string_view data = unquote(detail::trim(parameter.substr(equals + 1)));
    if (detail::iequals(name, "charset")) {
      format.charset = std::string(data);
    } else if (detail::iequals(name, "msgr")) {
      format.msgr = std::string(data);
    } else if (detail::iequals(name, "ms-body")) {
      auto body = decodeBody(data);
      if (!body) return bad("ms-body is not base64");
      format.body = std::move(*body);
    }
  }
  return format;
}

std::string formatMsTextFormat(std::string_view contentType, std::string_view body) {
  std::string out(contentType);
  out.append("; charset=UTF-8;ms-body=").append(base64Encode(body));
  return out;
}

}  // namespace impd::simple
