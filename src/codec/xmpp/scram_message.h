#pragma once
// Lexical pieces of the SCRAM message grammar (RFC 5802 §7). Private to impd_codec_xmpp.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace impd::xmpp::detail {

// One "k=value" field of a message.
struct ScramAttribute {
  char key = 0;
  std::string_view value;
};

// Splits a message on ','; nullopt when a field is not ALPHA "=" 1*value-char.
std::optional<std::vector<ScramAttribute>> splitScramAttributes(std::string_view message);

// saslname: "=2C" and "=3D" stand for ',' and '='; any other '=' is malformed. nullopt also
// for an empty name.
std::optional<std::string> decodeSaslName(std::string_view name);

// c-nonce / s-nonce: printable ASCII except ',', at least one character.
bool isScramNonce(std::string_view nonce);

}  // namespace impd::xmpp::detail
