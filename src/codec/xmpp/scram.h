#pragma once
// SASL SCRAM (RFC 5802, RFC 7677) on the server side, without channel binding. We advertise
// only the non-PLUS mechanisms, so a client flag of 'y' ("I could bind, but you cannot") is
// the truth and accepted, and 'p=' (a binding we never offered) is refused (RFC 5802 §6).
// Passwords are never stored: only the salted keys below.
#include <cstddef>
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

// Derives credentials from a password. The password goes through the OpaqueString mapping
// (non-ASCII spaces to U+0020, NFC) inside; iterations must be at least 1.
ScramCredentials deriveScramCredentials(std::string_view password, ScramHash hash,
                                        std::string_view salt, std::uint32_t iterations);
// True when password matches the stored credentials (used for SASL PLAIN).
bool verifyPassword(const ScramCredentials& creds, std::string_view password);

// One SCRAM exchange. Feed it the client's messages; it produces the server's.
class ScramServer {
 public:
  // Looks up credentials for a username already prepared with prepareLocalpart(); nullopt
  // for an unknown user. The exchange continues with decoy credentials for unknown (and
  // unpreparable) users so that replies do not reveal which usernames exist; it fails at
  // the proof step. Credentials for another hash than the exchange's count as unknown.
  using CredentialLookup = std::function<std::optional<ScramCredentials>(std::string_view user)>;

  ScramServer(ScramHash hash, CredentialLookup lookup, Random& random);

  // client-first-message -> server-first-message. Errors use RFC 6120 SASL conditions:
  // "malformed-request" (bad syntax, a 'p=' binding flag, a mandatory 'm=' extension, or a
  // call out of order) and "invalid-authzid" (an authzid that is not a JID).
  Result<std::string> start(std::string_view clientFirst);
  // client-final-message -> server-final-message ("v=..."). "not-authorized" on a bad proof,
  // an unknown user, a changed nonce or channel-binding header; "malformed-request" on bad
  // syntax. Any failure ends the exchange.
  Result<std::string> finish(std::string_view clientFinal);

  // The prepared username (as given, if it could not be prepared) and the decoded authzid
  // ("" when none); meaningful once start() succeeded.
  const std::string& username() const { return username_; }
  const std::string& authzid() const { return authzid_; }

  // Salt length and iteration count of the decoy credentials for unknown users. Set them to
  // what real accounts use (defaults: 16 bytes, 4096), or the decoys stand out.
  void setDecoyParameters(std::size_t saltBytes, std::uint32_t iterations);
  // Tests only: the server's part of the nonce, to reproduce published exchanges.
  void setFixedServerNonce(std::string serverNonce) { fixedServerNonce_ = std::move(serverNonce); }

 private:
  enum class State { kExpectFirst, kExpectFinal, kDone };

  ScramHash hash_;
  CredentialLookup lookup_;
  Random& random_;
  std::string username_, authzid_, clientFirstBare_, serverFirst_, nonce_, gs2Header_;
  std::optional<ScramCredentials> creds_;
  bool known_ = false;
  State state_ = State::kExpectFirst;
  std::string fixedServerNonce_;
  std::size_t decoySaltBytes_ = 16;
  std::uint32_t decoyIterations_ = 4096;
};

// SASL PLAIN (RFC 4616) message: authzid NUL authcid NUL passwd.
struct PlainMessage {
  std::string authzid, authcid, password;
};
Result<PlainMessage> parsePlain(std::string_view message);

}  // namespace impd::xmpp
