#pragma once
// What every server-to-server connection shares. Owned by Federation, outliving every
// connection.
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/random.h"
#include "config/config.h"
#include "s2s/inbound_stream.h"
#include "s2s/policy.h"

namespace impd::s2s {

struct Context {
  StreamSettings settings;
  Policy policy;
  std::vector<config::S2sRoute> routes;
  std::shared_ptr<boost::asio::ssl::context> serverTls;  // inbound: asks for the peer's certificate
  std::shared_ptr<boost::asio::ssl::context> clientTls;  // outbound: presents ours
  Clock& clock;
  Random& random;
};

// Time limits of server-to-server streams.
inline constexpr std::chrono::seconds kConnectTimeout{10};      // per address tried
inline constexpr std::chrono::seconds kNegotiationTimeout{60};  // stream open to authenticated
inline constexpr std::chrono::seconds kIdleTimeout{600};        // no traffic either way
inline constexpr std::chrono::seconds kKeepalive{60};           // whitespace when we said nothing
inline constexpr std::size_t kMaxStanzaBytes = 512 * 1024;      // Prosody's s2s limit, too
inline constexpr std::size_t kMaxQueuedStanzas = 10000;         // per outbound stream being set up

}  // namespace impd::s2s
