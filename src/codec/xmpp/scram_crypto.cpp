#include "codec/xmpp/scram_crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cassert>
#include <climits>
#include <cstdlib>

#include "codec/xmpp/unicode_prep.h"

namespace impd::xmpp::detail {
namespace {

const EVP_MD* md(ScramHash hash) {
  return hash == ScramHash::kSha1 ? EVP_sha1() : EVP_sha256();
}

// OpenSSL wants a non-null pointer even for zero-length input.
const unsigned char* bytes(std::string_view s) {
  static const unsigned char kEmpty = 0;
  return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

int length(std::string_view s) {
  // Every input here is bounded by a SASL message or a stored credential.
  assert(s.size() <= static_cast<std::size_t>(INT_MAX));
  return static_cast<int>(s.size());
}

}  // namespace

std::size_t digestSize(ScramHash hash) {
  return hash == ScramHash::kSha1 ? 20 : 32;
}

std::string digest(ScramHash hash, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int n = 0;
  // Hashing in memory only fails when the library is broken or out of memory.
  if (EVP_Digest(bytes(data), data.size(), reinterpret_cast<unsigned char*>(out.data()), &n,
                 md(hash), nullptr) != 1) {
    std::abort();
  }
  out.resize(n);
  return out;
}

std::string hmac(ScramHash hash, std::string_view key, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int n = 0;
  if (HMAC(md(hash), bytes(key), length(key), bytes(data), data.size(),
           reinterpret_cast<unsigned char*>(out.data()), &n) == nullptr) {
    std::abort();
  }
  out.resize(n);
  return out;
}

std::string saltedPassword(ScramHash hash, std::string_view password, std::string_view salt,
                           std::uint32_t iterations) {
  assert(iterations >= 1 && iterations <= static_cast<std::uint32_t>(INT_MAX));
  std::string out(digestSize(hash), '\0');
  if (PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(bytes(password)), length(password),
                        bytes(salt), length(salt), static_cast<int>(iterations), md(hash),
                        length(out), reinterpret_cast<unsigned char*>(out.data())) != 1) {
    std::abort();
  }
  return out;
}

std::string xorBytes(std::string_view a, std::string_view b) {
  assert(a.size() == b.size());
  std::string out(a.size(), '\0');
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i]);
  return out;
}

bool equalConstantTime(std::string_view a, std::string_view b) {
  // Lengths are public (the digest size); only the contents must not leak through timing.
  return a.size() == b.size() && CRYPTO_memcmp(bytes(a), bytes(b), a.size()) == 0;
}

}  // namespace impd::xmpp::detail

namespace impd::xmpp {

std::string_view scramMechanismName(ScramHash h) {
  return h == ScramHash::kSha1 ? "SCRAM-SHA-1" : "SCRAM-SHA-256";
}

namespace {

// RFC 7677 asks for SASLprep (RFC 4013: NFKC plus a mapped-to-nothing table); its successor,
// the OpaqueString profile of RFC 8265, is non-ASCII spaces to U+0020 and NFC. We apply that
// mapping but not its character check: refusing a password at this point could only lock out
// an account. Bytes that are not UTF-8 are used as they are.
// COMPAT: clients still applying SASLprep derive another key for passwords holding
// compatibility characters (fullwidth forms, ligatures); ASCII passwords are unaffected.
std::string preparePassword(std::string_view password) {
  if (detail::isAscii(password) || !detail::isValidUtf8(password)) return std::string(password);
  return detail::mapOpaque(password);
}

}  // namespace

ScramCredentials deriveScramCredentials(std::string_view password, ScramHash hash,
                                        std::string_view salt, std::uint32_t iterations) {
  std::string salted = detail::saltedPassword(hash, preparePassword(password), salt, iterations);
  ScramCredentials creds;
  creds.hash = hash;
  creds.salt = std::string(salt);
  creds.iterations = iterations;
  creds.storedKey = detail::digest(hash, detail::hmac(hash, salted, "Client Key"));
  creds.serverKey = detail::hmac(hash, salted, "Server Key");
  return creds;
}

bool verifyPassword(const ScramCredentials& creds, std::string_view password) {
  if (creds.iterations == 0 || creds.iterations > static_cast<std::uint32_t>(INT_MAX)) {
    return false;
  }
  ScramCredentials candidate =
      deriveScramCredentials(password, creds.hash, creds.salt, creds.iterations);
  // Both keys, combined without short-circuit, so the time taken says nothing about which.
  bool stored = detail::equalConstantTime(candidate.storedKey, creds.storedKey);
  bool server = detail::equalConstantTime(candidate.serverKey, creds.serverKey);
  return stored & server;
}

}  // namespace impd::xmpp
