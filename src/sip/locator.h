#pragma once
// Finding a federated SIP domain's server (RFC 3263 as Microsoft federation uses it): the
// domain's static route when configured; else DNS SRV `_sipfederationtls._tcp.<domain>`
// (Lync/Skype for Business Access Edges), then `_sips._tcp.<domain>`, both TLS; else the
// domain's own A/AAAA on 5061. Targets come in RFC 2782 order (dns/srv_plan.h) and
// firstAnswering() walks every address of every target until one answers.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "base/result.h"
#include "codec/sip/transaction.h"
#include "config/config.h"
#include "dns/resolver.h"

namespace impd::sip {

// One place to try: a host name (SNI and certificate identity) or IP, a port, a transport.
struct Hop {
  TransportKind transport = TransportKind::Tls;
  std::string host;
  std::uint16_t port = 5061;
  friend bool operator==(const Hop&, const Hop&) = default;
  friend auto operator<=>(const Hop&, const Hop&) = default;
};

inline constexpr std::uint16_t kSipTlsPort = 5061;

std::string federationTlsSrvName(std::string_view domain);  // "_sipfederationtls._tcp.<domain>"
std::string sipsSrvName(std::string_view domain);           // "_sips._tcp.<domain>"

TransportKind transportOf(config::SipTransport transport);

// The plan from the two SRV answers (an empty vector for a name without records). The first
// name with usable records decides, as RFC 3263 §4.2 takes the first SRV set found; a set
// that is only "." declares the service absent. Nothing usable and nothing declared absent:
// the domain itself on 5061. Every name declared absent: an empty plan.
std::vector<Hop> federationPlan(std::string_view domain, const std::vector<dns::SrvRecord>& federationTls,
                                const std::vector<dns::SrvRecord>& sips, Random& random);

// The whole lookup for `domain`, `route` being its [[sip.federated_domain]] route if any. A
// DNS error counts as "no records" (and is logged), as in s2s.
boost::asio::awaitable<std::vector<Hop>> locate(dns::Resolver& resolver, Random& random, std::string domain,
                                                std::optional<config::SipAddress> route);

// Tries `attempt` on every address of every hop, in order, until one gives a value. Hops whose
// name does not resolve are skipped. nullopt when nothing answered.
template <typename T>
using Attempt = std::function<boost::asio::awaitable<std::optional<T>>(Hop, boost::asio::ip::address)>;

template <typename T>
boost::asio::awaitable<std::optional<T>> firstAnswering(dns::Resolver& resolver, std::vector<Hop> hops,
                                                        Attempt<T> attempt) {
  for (const Hop& hop : hops) {
    auto addresses = co_await resolver.addresses(hop.host);
    if (!addresses) continue;
    for (const auto& address : *addresses) {
      if (auto done = co_await attempt(hop, address)) co_return done;
    }
  }
  co_return std::nullopt;
}

}  // namespace impd::sip
