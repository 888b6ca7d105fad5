#pragma once
// One TCP or TLS connection carrying SIP, inbound or outbound: the TLS handshake and the
// peer certificate verdict, the read loop that frames messages (stream_framer.h) and hands
// them to the core, keep-alive answers, a bounded write queue, time-outs and a lingering
// close. It lives on one I/O thread of the pool; the core reaches it with send()/close().
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

#include "codec/sip/transaction.h"
#include "net/stream_socket.h"
#include "net/write_queue.h"
#include "sip/locator.h"
#include "sip/peer_identity.h"
#include "sip/stream_framer.h"
#include "sip/transport.h"

namespace impd::sip {

class StreamConnection : public std::enable_shared_from_this<StreamConnection> {
 public:
  StreamConnection(TransportOwner& owner, boost::asio::io_context& home, boost::asio::ip::tcp::socket socket,
                   TransportKind kind, bool outbound, std::uint64_t id);
  ~StreamConnection();

  // Inbound: the server side of TLS (asking for the client certificate) when the listener
  // is TLS, the announcement to the core, then run().
  boost::asio::awaitable<void> serve();
  // Outbound: connects to `address`, and for TLS runs the handshake with SNI = hop.host and
  // requires a trusted certificate that names `domain` (or, COMPAT: Lync/SfB Access Edge,
  // the SRV target / route host name it was reached through). Null when any step fails.
  static boost::asio::awaitable<std::shared_ptr<StreamConnection>> open(TransportOwner& owner,
                                                                       boost::asio::io_context& home, Hop hop,
                                                                       boost::asio::ip::address address,
                                                                       std::string domain, std::uint64_t id);
  // Reads until the connection ends, with its watchdog; tells the core at the end.
  boost::asio::awaitable<void> run();

  // Any thread.
  void send(std::string bytes);
  void close();

  // Fixed before the core hears of the connection.
  std::uint64_t id() const { return destination_.connection; }
  TransportKind kind() const { return destination_.kind; }
  bool outbound() const { return outbound_; }
  const Destination& destination() const { return destination_; }
  const PeerCertificate& certificate() const { return certificate_; }
  const boost::asio::ip::tcp::endpoint& localEndpoint() const { return local_; }
  const std::string& label() const { return label_; }

 private:
  boost::asio::awaitable<void> readLoop();
  boost::asio::awaitable<void> watchdog();
  boost::asio::awaitable<void> lingerClose();
  boost::asio::awaitable<void> handleFrame(Frame frame);
  void write(std::string bytes);
  void closeAfterWrites();
  void closeNow();
  void checkCertificate(bool peerIsClient);

  TransportOwner& owner_;
  std::unique_ptr<net::StreamSocket> socket_;
  Destination destination_;
  bool outbound_;
  std::string label_;
  boost::asio::ip::tcp::endpoint local_;
  PeerCertificate certificate_;
  StreamFramer framer_;
  boost::asio::steady_timer timer_;
  Clock::Steady::time_point openedAt_, lastRead_, lastWrite_, lastMessage_;
  bool up_ = false;  // TLS (if any) done
  bool closing_ = false;
  bool ended_ = false;
  net::WriteQueue out_;
};

}  // namespace impd::sip
