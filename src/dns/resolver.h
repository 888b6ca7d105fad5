#pragma once
// The DNS seam: everything that needs SRV or address records asks a Resolver, so connection
// logic is tested against StaticResolver and only server wiring names CaresResolver.
//
// Error conditions (Error::condition):
//   "dns-not-found"  the name has no address record (NXDOMAIN or no A/AAAA data)
//   "dns-timeout"    no server answered in time
//   "dns-cancelled"  the resolver was destroyed while the query was pending
//   "dns-error"      anything else (server failure, refused, malformed answer, bad name)
// srv() never returns "dns-not-found": a name without SRV records is an empty vector, which is
// what the caller needs to decide on the RFC 6120 fall-back.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace impd::dns {

namespace asio = boost::asio;

inline constexpr std::string_view kNotFound = "dns-not-found";
inline constexpr std::string_view kTimeout = "dns-timeout";
inline constexpr std::string_view kCancelled = "dns-cancelled";
inline constexpr std::string_view kFailure = "dns-error";

struct SrvRecord {
  std::string target;  // host name without trailing dot; "." means "service not offered"
  std::uint16_t port = 0;
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;

  friend bool operator==(const SrvRecord&, const SrvRecord&) = default;
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  // SRV records of a full owner name, e.g. "_xmpp-server._tcp.example.com", in answer order.
  virtual asio::awaitable<Result<std::vector<SrvRecord>>> srv(std::string name) = 0;
  // A and AAAA records of a host, IPv6 first when both exist. An IP literal answers itself.
  virtual asio::awaitable<Result<std::vector<asio::ip::address>>> addresses(std::string host) = 0;
};

// Lower case, trailing dot removed: the form names are compared and stored in.
std::string normalizeName(std::string_view name);
// The address when `host` is an IPv4 or IPv6 literal (brackets allowed around IPv6).
std::optional<asio::ip::address> parseAddressLiteral(std::string_view host);

}  // namespace impd::dns
