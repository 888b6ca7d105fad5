#pragma once
// The receiving end of Via (RFC 3261 §18.2.1, RFC 3581 §4) and where a response over UDP
// goes (§18.2.2 with rport). Stamping records where a request really came from, so a response
// finds its way back through NAT even when the sender wrote a private or wrong sent-by.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/sip/message.h"

namespace impd::sip {

// Adds received=<source> to the top Via when its sent-by host is not that address, and, when
// the Via asks with a bare rport, fills rport=<port> and always adds received (RFC 3581 §4).
// Error "bad-request" when the request has no top Via that parses.
Result<void> stampTopVia(Message& request, std::string_view sourceAddress, std::uint16_t sourcePort);

struct UdpTarget {
  std::string host;  // an IP address (received) or the sent-by host
  std::uint16_t port = 0;
  friend bool operator==(const UdpTarget&, const UdpTarget&) = default;
};

// Where a response travels over UDP: the received address (else the sent-by host), at the
// rport value (else the sent-by port, else 5060). nullopt when the top Via does not parse.
// maddr (multicast) is not supported and ignored.
std::optional<UdpTarget> udpResponseTarget(const Message& response);

}  // namespace impd::sip
