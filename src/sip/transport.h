#pragma once
// What the transports (stream_connection.h, udp_transport.h) need from the SIP core, and the
// limits and time-outs they keep. The core is single-threaded: its calls below run on its
// executor, which connections on other I/O threads reach by an explicit hop.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/random.h"
#include "codec/sip/message.h"
#include "codec/sip/transaction.h"

namespace impd::sip {

class StreamConnection;

// Time limits of SIP connections.
inline constexpr std::chrono::seconds kKeepAliveInterval{30};  // CRLFCRLF on idle outbound connections
inline constexpr std::chrono::seconds kInboundIdleTimeout{300};  // no byte at all from the peer
inline constexpr std::chrono::seconds kOutboundIdleTimeout{600};  // no message either way
inline constexpr std::chrono::seconds kConnectTimeout{10};        // per address tried
inline constexpr std::chrono::seconds kHandshakeTimeout{15};      // TCP accepted to TLS up
inline constexpr std::chrono::seconds kLingerTime{2};             // after our last words
inline constexpr std::size_t kMaxQueuedBytes = 4 * 1024 * 1024;  // a peer that stops reading
inline constexpr std::size_t kReadChunk = 8192;
inline constexpr std::size_t kMaxDatagram = 65535;

class TransportOwner {
 public:
  virtual ~TransportOwner() = default;

  // Any thread.
  virtual boost::asio::any_io_executor coreExecutor() = 0;
  virtual boost::asio::ssl::context& serverTls() = 0;
  virtual boost::asio::ssl::context& clientTls() = 0;
  virtual Clock& clock() = 0;
  virtual Random& random() = 0;
  virtual const Limits& limits() const = 0;
  // The address outbound connections of `kind` leave from: our listener's, so that a peer that
  // admits us by our static route's address (plain TCP has nothing else) recognises us. None:
  // the system chooses.
  virtual std::optional<boost::asio::ip::address> sourceAddress(TransportKind /*kind*/) const { return std::nullopt; }

  // On the core executor. An inbound connection is announced once its TLS (if any) is up;
  // outbound ones are registered by whoever opened them.
  virtual void connectionUp(std::shared_ptr<StreamConnection> connection) = 0;
  virtual void messageArrived(std::uint64_t connection, Message message) = 0;
  // Every connection ends with this, announced or not; `address` is the peer's IP.
  virtual void connectionDown(std::uint64_t connection, bool inbound, std::string address) = 0;
};

std::string_view transportName(TransportKind kind);  // "UDP", "TCP", "TLS" (Via spelling)

}  // namespace impd::sip
