#pragma once
// The hash primitives of SCRAM (RFC 5802 §2.2) over OpenSSL. Private to impd_codec_xmpp.
// Byte strings travel as std::string.
#include <string>
#include <string_view>

#include "codec/xmpp/scram.h"

namespace impd::xmpp::detail {

std::size_t digestSize(ScramHash hash);
// H(data)
std::string digest(ScramHash hash, std::string_view data);
// HMAC(key, data)
std::string hmac(ScramHash hash, std::string_view key, std::string_view data);
// Hi(password, salt, i) = PBKDF2 with HMAC-H, output length of H.
std::string saltedPassword(ScramHash hash, std::string_view password, std::string_view salt,
                           std::uint32_t iterations);
std::string xorBytes(std::string_view a, std::string_view b);  // equal lengths
// Compares secrets in time independent of where they differ.
bool equalConstantTime(std::string_view a, std::string_view b);

}  // namespace impd::xmpp::detail
