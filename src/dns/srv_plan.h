#pragma once
// Pure target selection: which host and port to try, in which order. No I/O, so the s2s
// connector's fail-over order is tested with a seeded Random.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "dns/resolver.h"

namespace impd::dns {

struct Target {
  std::string host;
  std::uint16_t port = 0;
  bool directTls = false;  // XEP-0368 `_xmpps-server`: TLS from the first byte, no STARTTLS

  friend bool operator==(const Target&, const Target&) = default;
};

// The port RFC 6120 §3.2 falls back to when a domain has no SRV records.
inline constexpr std::uint16_t kXmppServerPort = 5269;

// RFC 2782 order: ascending priority; within one priority a weighted random draw without
// replacement (a record of weight w is picked first with probability w / sum, zero-weight
// records only rarely and otherwise last, in answer order). Records whose target is "." are
// dropped, so a set holding only "." yields an empty list.
std::vector<Target> orderSrv(const std::vector<SrvRecord>& records, Random& random);

// True when the set is exactly the RFC 2782 "service decidedly not available" answer.
bool declaresNoService(const std::vector<SrvRecord>& records);

// The ordered list of connection attempts for an XMPP domain (RFC 6120 §3.2, XEP-0368):
// `_xmpps-server._tcp` and `_xmpp-server._tcp` records are merged into one set and ordered as
// one RFC 2782 set; on equal footing (records of a priority placed before the draw, all-zero
// weights) direct TLS comes first. Pass an empty vector for a name without SRV records.
//  - no SRV record at all      -> { domain:5269, STARTTLS }
//  - a set that is only "."    -> that service is not offered and is left out; when nothing
//                                 remains, the plan is empty (no A/AAAA fall-back: the domain
//                                 published SRV, so guessing its address is wrong)
// An empty plan therefore means "this domain does not accept server-to-server connections".
std::vector<Target> connectPlan(std::string_view domain, const std::vector<SrvRecord>& srvXmpps,
                                const std::vector<SrvRecord>& srvXmpp, Random& random);

// The SRV owner names queried for a domain.
std::string xmppsServerName(std::string_view domain);  // "_xmpps-server._tcp.<domain>"
std::string xmppServerName(std::string_view domain);   // "_xmpp-server._tcp.<domain>"

}  // namespace impd::dns
