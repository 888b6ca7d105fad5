#pragma once
// The client side of SCRAM (RFC 5802 / RFC 7677) without channel binding ("n,,"), for the
// load generator and for tests that sign in the way real clients do.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/xmpp/scram.h"

namespace impd::xmpp {

// SaltedPassword values by (hash, password, salt, iterations); thread-safe.
class ScramSaltCache {
 public:
  std::string saltedPassword(ScramHash hash, std::string_view password, std::string_view salt,
                             std::uint32_t iterations);

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> values_;
};

class ScramClient {
 public:
  // `user` is sent as the SASL name (escaped here); `clientNonce` must be printable ASCII
  // without ','.
  ScramClient(ScramHash hash, std::string_view user, std::string password, std::string clientNonce);

  // Hi(password, salt, i) is the expensive step; a client that signs in often may remember
  // its result per salt, as real clients do. Default: computed every time.
  void setCache(ScramSaltCache* cache) { cache_ = cache; }

  const std::string& clientFirst() const { return clientFirst_; }
  // server-first-message -> client-final-message with the proof. "malformed-request" when the
  // server's message is not SCRAM or its nonce does not extend ours.
  Result<std::string> clientFinal(std::string_view serverFirst);
  // Whether the server's signature ("v=...") proves it knows our credentials.
  bool verifyServerFinal(std::string_view serverFinal) const;

 private:
  ScramHash hash_;
  std::string password_, nonce_, clientFirstBare_, clientFirst_;
  std::string expectedServerSignature_;
  ScramSaltCache* cache_ = nullptr;
};

}  // namespace impd::xmpp
