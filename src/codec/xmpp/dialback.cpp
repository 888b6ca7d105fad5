#include "codec/xmpp/dialback.h"

#include <array>

#include "codec/xmpp/scram_crypto.h"

namespace impd::xmpp {

namespace {

constexpr std::size_t kKeyLength = 64;  // SHA-256 in hex

std::string toHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

}  // namespace

std::string dialbackKey(std::string_view secret, std::string_view receivingServer,
                        std::string_view originatingServer, std::string_view streamId) {
  const std::string hmacKey = toHex(detail::digest(ScramHash::kSha256, secret));
  std::string text;
  text.reserve(receivingServer.size() + originatingServer.size() + streamId.size() + 2);
  text.append(receivingServer).append(" ").append(originatingServer).append(" ").append(streamId);
  return toHex(detail::hmac(ScramHash::kSha256, hmacKey, text));
}

bool verifyDialbackKey(std::string_view presented, std::string_view secret,
                       std::string_view receivingServer, std::string_view originatingServer,
                       std::string_view streamId) {
  // The length is public (every key has 64 characters), so refusing early leaks nothing.
  if (presented.size() != kKeyLength) return false;
  std::string folded(presented);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  const std::string expected = dialbackKey(secret, receivingServer, originatingServer, streamId);
  return detail::equalConstantTime(folded, expected);
}

std::string randomDialbackSecret(Random& random) {
  std::array<unsigned char, 32> bytes{};
  random.fill(bytes.data(), bytes.size());
  return toHex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace impd::xmpp
