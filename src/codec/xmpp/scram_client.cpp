#include "codec/xmpp/scram_client.h"

#include <charconv>

#include "base/base64.h"
#include "codec/xmpp/scram_crypto.h"
#include "codec/xmpp/scram_message.h"

namespace impd::xmpp {

namespace {
// RFC 5802 §5.1: ',' and '=' in a saslname are written =2C and =3D.
std::string escapeSaslName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ',') {
      out += "=2C";
    } else if (c == '=') {
      out += "=3D";
    } else {
      out += c;
    }
  }
  return out;
}

Error malformed(std::string text) { return makeError("malformed-request", std::move(text)); }
}  // namespace

std::string ScramSaltCache::saltedPassword(ScramHash hash, std::string_view password, std::string_view salt,
                                           std::uint32_t iterations) {
  std::string key = std::to_string(static_cast<int>(hash)) + ':' + std::to_string(iterations) + ':' +
                    std::string(salt) + ':' + std::string(password);
  {
    std::lock_guard lock(mutex_);
    if (auto it = values_.find(key); it != values_.end()) return it->second;
  }
  std::string value = detail::saltedPassword(hash, password, salt, iterations);
  std::lock_guard lock(mutex_);
  values_.emplace(std::move(key), value);
  return value;
}

ScramClient::ScramClient(ScramHash hash, std::string_view user, std::string password, std::string clientNonce)
    : hash_(hash), password_(std::move(password)), nonce_(std::move(clientNonce)) {
  clientFirstBare_ = "n=" + escapeSaslName(user) + ",r=" + nonce_;
  clientFirst_ = "n,," + clientFirstBare_;
}

Result<std::string> ScramClient::clientFinal(std::string_view serverFirst) {
  auto fields = detail::splitScramAttributes(serverFirst);
  if (!fields || fields->size() < 3) return malformed("server-first-message is not SCRAM");
  std::string_view nonce, saltText, iterationsText;
  for (const auto& f : *fields) {
    if (f.key == 'r') nonce = f.value;
    if (f.key == 's') saltText = f.value;
    if (f.key == 'i') iterationsText = f.value;
  }
  if (!nonce.starts_with(nonce_) || nonce.size() == nonce_.size()) return malformed("the server nonce does not extend ours");
  auto salt = base64Decode(saltText);
  std::uint32_t iterations = 0;
  auto [end, ec] = std::from_chars(iterationsText.data(), iterationsText.data() + iterationsText.size(), iterations);
  if (!salt || ec != std::errc() || end != iterationsText.data() + iterationsText.size() || iterations == 0) {
    return malformed("bad salt or iteration count");
  }
  const std::string withoutProof = "c=biws,r=" + std::string(nonce);
  const std::string authMessage = clientFirstBare_ + "," + std::string(serverFirst) + "," + withoutProof;
  const std::string salted = cache_ ? cache_->saltedPassword(hash_, password_, *salt, iterations)
                                    : detail::saltedPassword(hash_, password_, *salt, iterations);
  const std::string clientKey = detail::hmac(hash_, salted, "Client Key");
  const std::string storedKey = detail::digest(hash_, clientKey);
  const std::string signature = detail::hmac(hash_, storedKey, authMessage);
  const std::string serverKey = detail::hmac(hash_, salted, "Server Key");
  expectedServerSignature_ = detail::hmac(hash_, serverKey, authMessage);
  return withoutProof + ",p=" + base64Encode(detail::xorBytes(clientKey, signature));
}

bool ScramClient::verifyServerFinal(std::string_view serverFinal) const {
  if (!serverFinal.starts_with("v=") || expectedServerSignature_.empty()) return false;
  auto signature = base64Decode(serverFinal.substr(2));
  return signature && detail::equalConstantTime(*signature, expectedServerSignature_);
}

}  // namespace impd::xmpp
