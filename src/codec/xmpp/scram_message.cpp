#include "codec/xmpp/scram_message.h"

namespace impd::xmpp::detail {
namespace {

bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::optional<std::vector<ScramAttribute>> splitScramAttributes(std::string_view message) {
  std::vector<ScramAttribute> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = message.find(',', start);
    std::string_view field = message.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (field.size() < 3 || !isAlpha(field[0]) || field[1] != '=') return std::nullopt;
    out.push_back({field[0], field.substr(2)});
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::optional<std::string> decodeSaslName(std::string_view name) {
  if (name.empty()) return std::nullopt;
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '=') {
      out.push_back(name[i]);
      continue;
    }
    std::string_view escape = name.substr(i, 3);
    if (escape == "=2C") {
      out.push_back(',');
    } else if (escape == "=3D") {
      out.push_back('=');
    } else {
      return std::nullopt;
    }
    i += 2;
  }
  return out;
}

bool isScramNonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;
  }
  return true;
}

}  // namespace impd::xmpp::detail
