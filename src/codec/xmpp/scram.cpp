#include "codec/xmpp/scram.h"

#include <fmt/format.h>

#include <cassert>
#include <climits>

#include "base/base64.h"
#include "codec/xmpp/jid.h"
#include "codec/xmpp/scram_crypto.h"
#include "codec/xmpp/scram_message.h"
#include "codec/xmpp/unicode_prep.h"

namespace impd::xmpp {
namespace {

// Enough that the server's half of the nonce alone carries 144 bits.
constexpr std::size_t kServerNonceChars = 24;

Error malformed(std::string reason) {
  return makeError("malformed-request", std::move(reason));
}
Error notAuthorized(std::string reason) {
  return makeError("not-authorized", std::move(reason));
}

// Keys the decoy salts. It is per process and never drawn from the injected Random, so an
// unknown name gets the same salt on every attempt, just as a real account would.
const std::string& decoySecret() {
  static const std::string secret = [] {
    std::string s(32, '\0');
    SecureRandom::instance().fill(s.data(), s.size());
    return s;
  }();
  return secret;
}

std::string decoySalt(std::string_view user, std::size_t size) {
  std::string salt;
  for (std::uint32_t block = 0; salt.size() < size; ++block) {
    salt += detail::hmac(ScramHash::kSha256, decoySecret(),
                         fmt::format("decoy-salt {} {}", block, user));
  }
  salt.resize(size);
  return salt;
}

bool usable(const ScramCredentials& creds, ScramHash hash) {
  std::size_t size = detail::digestSize(hash);
  return creds.hash == hash && creds.iterations >= 1 && creds.storedKey.size() == size &&
         creds.serverKey.size() == size;
}

bool isText(std::string_view message) {
  return message.find('\0') == std::string_view::npos && detail::isValidUtf8(message);
}

}  // namespace

ScramServer::ScramServer(ScramHash hash, CredentialLookup lookup, Random& random)
    : hash_(hash), lookup_(std::move(lookup)), random_(random) {}

void ScramServer::setDecoyParameters(std::size_t saltBytes, std::uint32_t iterations) {
  assert(saltBytes >= 1 && iterations >= 1);
  decoySaltBytes_ = saltBytes;
  decoyIterations_ = iterations;
}

Result<std::string> ScramServer::start(std::string_view clientFirst) {
  if (state_ != State::kExpectFirst) return malformed("SCRAM exchange already started");
  state_ = State::kDone;  // every early return below ends the exchange
  if (!isText(clientFirst)) return malformed("client-first-message is not UTF-8 text");

  // gs2-header = gs2-cbind-flag "," [ authzid ] ","
  std::size_t flagEnd = clientFirst.find(',');
  if (flagEnd == std::string_view::npos) return malformed("missing GS2 header");
  std::string_view flag = clientFirst.substr(0, flagEnd);
  if (flag.starts_with("p=")) return malformed("channel binding requested but not offered");
  if (flag != "n" && flag != "y") return malformed("bad channel binding flag");
  std::size_t authzEnd = clientFirst.find(',', flagEnd + 1);
  if (authzEnd == std::string_view::npos) return malformed("missing GS2 header");
  std::string_view authz = clientFirst.substr(flagEnd + 1, authzEnd - flagEnd - 1);
  if (!authz.empty()) {
    std::optional<std::string> decoded;
    if (authz.starts_with("a=")) decoded = detail::decodeSaslName(authz.substr(2));
    if (!decoded) return malformed("bad authzid");
    if (!Jid::parse(*decoded)) return makeError("invalid-authzid", "authzid is not a JID");
    authzid_ = std::move(*decoded);
  }
  gs2Header_ = std::string(clientFirst.substr(0, authzEnd + 1));
  clientFirstBare_ = std::string(clientFirst.substr(authzEnd + 1));

  // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
  auto attributes = detail::splitScramAttributes(clientFirstBare_);
  if (!attributes) return malformed("malformed client-first-message");
  if (attributes->front().key == 'm') return malformed("unsupported mandatory extension");
  if (attributes->size() < 2 || (*attributes)[0].key != 'n' || (*attributes)[1].key != 'r') {
    return malformed("client-first-message needs n= and r=");
  }
  std::optional<std::string> user = detail::decodeSaslName((*attributes)[0].value);
  if (!user) return malformed("bad username");
  std::string_view clientNonce = (*attributes)[1].value;
  if (!detail::isScramNonce(clientNonce)) return malformed("bad nonce");

  // Unpreparable names cannot belong to an account; they get a decoy like unknown ones.
  Result<std::string> prepared = prepareLocalpart(*user);
  username_ = prepared ? std::move(*prepared) : std::move(*user);
  if (prepared) creds_ = lookup_(username_);
  known_ = creds_.has_value() && usable(*creds_, hash_);
  if (!known_) {
    ScramCredentials decoy;
    decoy.hash = hash_;
    decoy.salt = decoySalt(username_, decoySaltBytes_);
    decoy.iterations = decoyIterations_;
    decoy.storedKey.resize(detail::digestSize(hash_));
    decoy.serverKey.resize(detail::digestSize(hash_));
    random_.fill(decoy.storedKey.data(), decoy.storedKey.size());
    random_.fill(decoy.serverKey.data(), decoy.serverKey.size());
    creds_ = std::move(decoy);
  }

  std::string serverNonce =
      fixedServerNonce_.empty() ? random_.token(kServerNonceChars) : fixedServerNonce_;
  nonce_ = std::string(clientNonce) + serverNonce;
  serverFirst_ =
      fmt::format("r={},s={},i={}", nonce_, base64Encode(creds_->salt), creds_->iterations);
  state_ = State::kExpectFinal;
  return serverFirst_;
}

Result<std::string> ScramServer::finish(std::string_view clientFinal) {
  if (state_ != State::kExpectFinal) return malformed("no SCRAM exchange awaiting a proof");
  state_ = State::kDone;
  if (!isText(clientFinal)) return malformed("client-final-message is not UTF-8 text");

  // client-final-message = "c=" base64 "," "r=" nonce ["," extensions] "," "p=" base64
  auto attributes = detail::splitScramAttributes(clientFinal);
  if (!attributes || attributes->size() < 3 || attributes->front().key != 'c' ||
      (*attributes)[1].key != 'r' || attributes->back().key != 'p') {
    return malformed("malformed client-final-message");
  }
  std::optional<std::string> binding = base64Decode(attributes->front().value);
  std::optional<std::string> proof = base64Decode(attributes->back().value);
  if (!binding || !proof) return malformed("bad base64 in client-final-message");
  if (proof->size() != detail::digestSize(hash_)) return malformed("proof has the wrong size");
  // Without channel binding, c= carries the GS2 header back unchanged (RFC 5802 §7).
  if (*binding != gs2Header_) return notAuthorized("channel binding header changed");
  if ((*attributes)[1].value != nonce_) return notAuthorized("nonce changed");

  // The proof is the last field; it signs everything before ",p=".
  std::size_t proofField = attributes->back().value.size() + 3;
  std::string_view withoutProof = clientFinal.substr(0, clientFinal.size() - proofField);
  std::string authMessage = fmt::format("{},{},{}", clientFirstBare_, serverFirst_, withoutProof);

  const ScramCredentials& creds = *creds_;
  std::string clientSignature = detail::hmac(hash_, creds.storedKey, authMessage);
  std::string clientKey = detail::xorBytes(*proof, clientSignature);
  bool proofMatches = detail::equalConstantTime(detail::digest(hash_, clientKey), creds.storedKey);
  if (!known_ || !proofMatches) return notAuthorized("authentication failed");
  return "v=" + base64Encode(detail::hmac(hash_, creds.serverKey, authMessage));
}

}  // namespace impd::xmpp
