#pragma once
// Test doubles for SCRAM: a predictable Random, a one-account credential store and the client
// side of the exchange (built on the same primitives, which the RFC vectors pin down).
#include <map>
#include <string>

#include "base/base64.h"
#include "base/fake_random.h"
#include "codec/xmpp/scram.h"
#include "codec/xmpp/scram_crypto.h"

namespace impd::xmpp::testing {

using impd::CountingRandom;

struct Accounts {
  std::map<std::string, ScramCredentials, std::less<>> byName;
  int lookups = 0;

  ScramServer::CredentialLookup lookup() {
    return [this](std::string_view user) -> std::optional<ScramCredentials> {
      ++lookups;
      auto it = byName.find(user);
      if (it == byName.end()) return std::nullopt;
      return it->second;
    };
  }
};

// Reads "r=...,s=...,i=..." and returns the client-final-message for `password`.
inline std::string clientFinal(ScramHash hash, std::string_view password,
                               std::string_view clientFirstBare, std::string_view serverFirst,
                               std::string_view gs2Header = "n,,") {
  std::string nonce, salt;
  std::uint32_t iterations = 0;
  std::string_view rest = serverFirst;
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view field = rest.substr(0, comma);
    if (field.starts_with("r=")) nonce = field.substr(2);
    if (field.starts_with("s=")) salt = base64Decode(field.substr(2)).value_or("");
    if (field.starts_with("i=")) iterations = std::stoul(std::string(field.substr(2)));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  std::string withoutProof = "c=" + base64Encode(gs2Header) + ",r=" + nonce;
  std::string authMessage =
      std::string(clientFirstBare) + "," + std::string(serverFirst) + "," + withoutProof;
  std::string salted = detail::saltedPassword(hash, password, salt, iterations);
  std::string clientKey = detail::hmac(hash, salted, "Client Key");
  std::string storedKey = detail::digest(hash, clientKey);
  std::string signature = detail::hmac(hash, storedKey, authMessage);
  return withoutProof + ",p=" + base64Encode(detail::xorBytes(clientKey, signature));
}

}  // namespace impd::xmpp::testing
