// Localpart and resourcepart preparation (RFC 7622 §3.3, §3.4). Most JIDs on the wire are
// ASCII, so each profile has a byte loop that never reaches ICU.
#include <fmt/format.h>

#include "codec/xmpp/jid.h"
#include "codec/xmpp/jid_limits.h"
#include "codec/xmpp/unicode_prep.h"

namespace impd::xmpp {
namespace {

Error malformed(std::string reason) {
  return makeError("jid-malformed", std::move(reason));
}

// RFC 7622 §3.3.1 forbids these in a localpart on top of the PRECIS rules, because they
// delimit JIDs and XMPP URIs or need escaping in XML.
bool isLocalpartDelimiter(char32_t c) {
  switch (c) {
    case '"':
    case '&':
    case '\'':
    case '/':
    case ':':
    case '<':
    case '>':
    case '@':
      return true;
    default:
      return false;
  }
}

bool localpartAllows(char32_t c) {
  return !isLocalpartDelimiter(c) && detail::identifierClassAllows(c);
}

Error refusedCharacter(const char* part, long c) {
  return malformed(fmt::format("{} contains a forbidden character U+{:04X}", part, c));
}

Result<std::string> checkLength(const char* part, std::string prepared) {
  if (prepared.empty()) return malformed(fmt::format("{} is empty", part));
  if (prepared.size() > detail::kMaxPartBytes) {
    return malformed(fmt::format("{} is longer than {} bytes", part, detail::kMaxPartBytes));
  }
  return prepared;
}

}  // namespace

Result<std::string> prepareLocalpart(std::string_view local) {
  if (local.empty()) return malformed("localpart is empty");
  if (local.size() > detail::kMaxInputBytes) return malformed("localpart is too long");
  if (detail::isAscii(local)) {
    std::string out(local);
    for (char& c : out) {
      if (!localpartAllows(static_cast<unsigned char>(c))) {
        return refusedCharacter("localpart", static_cast<unsigned char>(c));
      }
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return checkLength("localpart", std::move(out));
  }
  if (!detail::isValidUtf8(local)) return malformed("localpart is not valid UTF-8");
  std::string out = detail::mapUsername(local);
  if (long c = detail::firstRefused(out, localpartAllows); c >= 0) {
    return refusedCharacter("localpart", c);
  }
  return checkLength("localpart", std::move(out));
}

Result<std::string> prepareResource(std::string_view resource) {
  if (resource.empty()) return malformed("resourcepart is empty");
  if (resource.size() > detail::kMaxInputBytes) return malformed("resourcepart is too long");
  if (detail::isAscii(resource)) {
    for (char c : resource) {
      if (!detail::freeformClassAllows(static_cast<unsigned char>(c))) {
        return refusedCharacter("resourcepart", static_cast<unsigned char>(c));
      }
    }
    return checkLength("resourcepart", std::string(resource));
  }
  if (!detail::isValidUtf8(resource)) return malformed("resourcepart is not valid UTF-8");
  std::string out = detail::mapOpaque(resource);
  if (long c = detail::firstRefused(out, detail::freeformClassAllows); c >= 0) {
    return refusedCharacter("resourcepart", c);
  }
  return checkLength("resourcepart", std::move(out));
}

}  // namespace impd::xmpp
