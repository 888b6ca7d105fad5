// Dialog identifiers from messages, and their hash.
#include "codec/sip/dialog_id.h"

#include <string_view>

#include "codec/sip/headers.h"

namespace impd::sip {
namespace {

Result<std::string> tagOf(const Message& message, std::string_view header) {
  const auto value = message.get(header);
  if (!value) return makeError("bad-request", "no " + std::string(header) + " header");
  auto addr = NameAddr::parse(*value);
  if (!addr) return makeError("bad-request", "bad " + std::string(header) + " header");
  return std::string(addr->tag());
}

Result<DialogId> idOf(const Message& message, std::string_view localHeader,
                      std::string_view remoteHeader) {
  const auto callId = message.get("Call-ID");
  if (!callId) return makeError("bad-request", "no Call-ID header");
  auto local = tagOf(message, localHeader);
  if (!local) return local.error();
  auto remote = tagOf(message, remoteHeader);
  if (!remote) return remote.error();
  return DialogId{std::string(*callId), std::move(*local), std::move(*remote)};
}

}  // namespace

std::size_t DialogIdHash::operator()(const DialogId& id) const {
  // Boost-style combine; the three parts are short strings, collisions between their
  // concatenations do not matter for a hash.
  const std::hash<std::string> h;
  std::size_t seed = h(id.callId);
  for (const std::string* part : {&id.localTag, &id.remoteTag}) {
    seed ^= h(*part) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  }
  return seed;
}

Result<DialogId> dialogIdOfRequest(const Message& request) {
  return idOf(request, "To", "From");
}

Result<DialogId> dialogIdOfResponse(const Message& response) {
  return idOf(response, "From", "To");
}

}  // namespace impd::sip
