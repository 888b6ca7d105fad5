#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace impd {

std::string base64Encode(std::string_view bytes);
// Strict RFC 4648 decoding (no whitespace, correct padding); nullopt on malformed input.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace impd
