// Via received/rport handling (via_stamp.h).
#include "sip/via_stamp.h"

#include "codec/sip/headers.h"
#include "dns/resolver.h"

namespace impd::sip {

namespace {

bool sameAddress(std::string_view host, std::string_view address) {
  auto a = dns::parseAddressLiteral(host);
  auto b = dns::parseAddressLiteral(address);
  return a && b && *a == *b;
}

// received= as a host token: IPv6 in brackets, or a parameter writer would have to quote it.
std::string receivedValue(std::string_view address) {
  auto parsed = dns::parseAddressLiteral(address);
  if (!parsed) return std::string(address);
  return parsed->is_v6() ? "[" + parsed->to_string() + "]" : parsed->to_string();
}

}  // namespace

Result<void> stampTopVia(Message& request, std::string_view sourceAddress, std::uint16_t sourcePort) {
  const auto top = request.get("Via");
  if (!top) return makeError("bad-request", "no Via");
  auto via = Via::parse(*top);
  if (!via) return via.error();
  const Via::Rport rport = via->rport();
  bool changed = false;
  if (rport && !rport.port) {
    via->setParam("rport", std::to_string(sourcePort));
    via->setParam("received", receivedValue(sourceAddress));
    changed = true;
  } else if (!sameAddress(via->host(), sourceAddress)) {
    via->setParam("received", receivedValue(sourceAddress));
    changed = true;
  }
  if (changed) {
    request.removeFirst("Via");
    request.prepend("Via", via->str());
  }
  return {};
}

std::optional<UdpTarget> udpResponseTarget(const Message& response) {
  const auto top = response.get("Via");
  if (!top) return std::nullopt;
  auto via = Via::parse(*top);
  if (!via) return std::nullopt;
  UdpTarget target;
  target.host = via->received().empty() ? std::string(via->host()) : std::string(via->received());
  if (target.host.size() > 2 && target.host.front() == '[') {
    target.host = target.host.substr(1, target.host.size() - 2);
  }
  const Via::Rport rport = via->rport();
  target.port = rport.port ? *rport.port : via->port().value_or(5060);
  return target;
}

}  // namespace impd::sip
