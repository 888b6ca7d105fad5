#pragma once
// SASL SCRAM (RFC 5802, RFC 7677) on the server side, without channel binding (we advertise
// only the non-PLUS mechanisms, so a client flag of 'y' is a downgrade attack and refused).
// Passwords are never stored: only the salted keys below.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/random.h"
#include "base/result.h"

namespace impd::xmpp {

enum class ScramHash { kSha1, kSha256 };
std::string_view scramMechanismName(ScramHash h);  // "SCRAM-SHA-1", "SCRAM-SHA-256"

struct ScramCredentials {
  ScramHash hash = ScramHash::kSha256;
  std::string salt;  // raw bytes
  std::uint32_t iterations = 4096;
  std::string storedKey;  // raw H(ClientKey)
  std::string serverKey;  // raw HMAC(SaltedPassword, "Server Key")
};

// Derives credentials from a password (SASLprep'd as an OpaqueString by the caller or inside).
ScramCredentials deriveScramCredentials(std::string_view password, ScramHash hash,
                                        std::string_view salt, std::uint32_t iterations);
// True when password matches the stored credentials (used for SASL PLAIN).
bool verifyPassword(const ScramCredentials& creds, std::string_view password);

// One SCRAM exchange. Feed it the client's messages; it produces the server's.
class ScramServer {
 public:
  // Looks up credentials for a (SASLprep'd) username; nullopt for an unknown user. The
  // exchange continues with fake credentials for unknown users so that timing and replies do
  // not reveal which usernames exist; it fails at the proof step.
  using CredentialLookup = std::function<std::optional<ScramCredentials>(std::string_view user)>;

  ScramServer(ScramHash hash, CredentialLookup lookup, Random& random);

  // client-first-message -> server-first-message. Errors use RFC 6120 SASL conditions:
  // "malformed-request", "invalid-authzid", "not-authorized".
  Result<std::string> start(std::string_view clientFirst);
  // client-final-message -> server-final-message ("v=..."). "not-authorized" on a bad proof.
  Result<std::string> finish(std::string_view clientFinal);

  const std::string& username() const { return username_; }
  const std::string& authzid() const { return authzid_; }

 private:
  ScramHash hash_;
  CredentialLookup lookup_;
  Random& random_;
  std::string username_, authzid_, clientFirstBare_, serverFirst_, nonce_, gs2Header_;
  std::optional<ScramCredentials> creds_;
  bool known_ = false;
};

// SASL PLAIN (RFC 4616) message: authzid NUL authcid NUL passwd.
struct PlainMessage {
  std::string authzid, authcid, password;
};
Result<PlainMessage> parsePlain(std::string_view message);

}  // namespace impd::xmpp
