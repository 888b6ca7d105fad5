// SASL PLAIN (RFC 4616 §2): message = [authzid] UTF8NUL authcid UTF8NUL passwd.
#include <array>

#include "codec/xmpp/scram.h"
#include "codec/xmpp/unicode_prep.h"

namespace impd::xmpp {
namespace {

// RFC 4616 §2: each part is at most 255 octets.
constexpr std::size_t kMaxPartBytes = 255;

Error malformed(std::string reason) {
  return makeError("malformed-request", std::move(reason));
}

}  // namespace

Result<PlainMessage> parsePlain(std::string_view message) {
  std::size_t first = message.find('\0');
  if (first == std::string_view::npos) return malformed("PLAIN message has no NUL separator");
  std::size_t second = message.find('\0', first + 1);
  if (second == std::string_view::npos) return malformed("PLAIN message lacks a password");
  std::string_view password = message.substr(second + 1);
  if (password.find('\0') != std::string_view::npos) {
    return malformed("PLAIN message has more than two NULs");
  }
  std::string_view authzid = message.substr(0, first);
  std::string_view authcid = message.substr(first + 1, second - first - 1);
  if (authcid.empty()) return malformed("PLAIN authcid is empty");
  if (password.empty()) return malformed("PLAIN password is empty");
  for (std::string_view part : std::array{authzid, authcid, password}) {
    if (part.size() > kMaxPartBytes) return malformed("PLAIN field longer than 255 bytes");
    if (!detail::isValidUtf8(part)) return malformed("PLAIN field is not UTF-8");
  }
  PlainMessage out;
  out.authzid = std::string(authzid);
  out.authcid = std::string(authcid);
  out.password = std::string(password);
  return out;
}

}  // namespace impd::xmpp
