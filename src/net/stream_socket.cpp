#include "net/stream_socket.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace impd::net {

namespace asio = boost::asio;
using asio::awaitable;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

StreamSocket::StreamSocket(Tcp::socket socket) : socket_(std::move(socket)) {
  ErrorCode ec;
  auto ep = socket_.remote_endpoint(ec);
  if (!ec) remote_ = ep.address().to_string();
  socket_.set_option(Tcp::no_delay(true), ec);
}

StreamSocket::~StreamSocket() = default;

awaitable<std::size_t> StreamSocket::readSome(asio::mutable_buffer buffer, ErrorCode& ec) {
  std::size_t n = 0;
  if (tls_) {
    std::tie(ec, n) = co_await tls_->async_read_some(buffer, kNoThrow);
  } else {
    std::tie(ec, n) = co_await socket_.async_read_some(buffer, kNoThrow);
  }
  co_return n;
}

awaitable<void> StreamSocket::writeAll(asio::const_buffer buffer, ErrorCode& ec) {
  std::size_t n = 0;
  if (tls_) {
    std::tie(ec, n) = co_await asio::async_write(*tls_, buffer, kNoThrow);
  } else {
    std::tie(ec, n) = co_await asio::async_write(socket_, buffer, kNoThrow);
  }
}

awaitable<void> StreamSocket::startServerTls(asio::ssl::context& ctx, ErrorCode& ec) {
  tls_ = std::make_unique<asio::ssl::stream<Tcp::socket&>>(socket_, ctx);
  std::tie(ec) = co_await tls_->async_handshake(asio::ssl::stream_base::server, kNoThrow);
}

awaitable<void> StreamSocket::startClientTls(asio::ssl::context& ctx, const std::string& serverName,
                                             ErrorCode& ec, SSL_SESSION* resume) {
  tls_ = std::make_unique<asio::ssl::stream<Tcp::socket&>>(socket_, ctx);
  if (!serverName.empty()) SSL_set_tlsext_host_name(tls_->native_handle(), serverName.c_str());
  if (resume != nullptr) SSL_set_session(tls_->native_handle(), resume);
  std::tie(ec) = co_await tls_->async_handshake(asio::ssl::stream_base::client, kNoThrow);
}

void StreamSocket::close() {
  ErrorCode ec;
  socket_.shutdown(Tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

}  // namespace impd::net
