#pragma once
// A TCP connection that may be upgraded to TLS in place (STARTTLS) or start in TLS (direct
// TLS). Bytes only: it knows nothing of XML or XMPP. Every operation reports errors as values
// so no exception crosses the event loop.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <memory>
#include <string>

namespace impd::net {

class StreamSocket {
 public:
  using Tcp = boost::asio::ip::tcp;
  using ErrorCode = boost::system::error_code;

  explicit StreamSocket(Tcp::socket socket);
  ~StreamSocket();
  // The TLS layer refers to the TCP socket member, so the object must stay where it is.
  StreamSocket(const StreamSocket&) = delete;
  StreamSocket& operator=(const StreamSocket&) = delete;

  boost::asio::awaitable<std::size_t> readSome(boost::asio::mutable_buffer buffer, ErrorCode& ec);
  boost::asio::awaitable<void> writeAll(boost::asio::const_buffer buffer, ErrorCode& ec);
  // Runs the server side of a TLS handshake on this connection.
  boost::asio::awaitable<void> startServerTls(boost::asio::ssl::context& ctx, ErrorCode& ec);
  // Runs the client side, naming `serverName` in SNI (RFC 6066) when it is a DNS name, and
  // offering `resume` (a session of an earlier connection) when given.
  boost::asio::awaitable<void> startClientTls(boost::asio::ssl::context& ctx, const std::string& serverName,
                                              ErrorCode& ec, SSL_SESSION* resume = nullptr);
  // The OpenSSL connection once TLS runs (for the peer certificate); null before.
  SSL* nativeTls() { return tls_ ? tls_->native_handle() : nullptr; }

  bool isTls() const { return tls_ != nullptr; }
  bool isOpen() const { return socket_.is_open(); }
  // Closes at once; a pending read or write completes with an error.
  void close();
  Tcp::socket& tcp() { return socket_; }
  const std::string& remoteAddress() const { return remote_; }

 private:
  Tcp::socket socket_;
  std::unique_ptr<boost::asio::ssl::stream<Tcp::socket&>> tls_;
  std::string remote_;
};

}  // namespace impd::net
