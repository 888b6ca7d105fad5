#pragma once
// A TCP connection that may be upgraded to TLS in place (STARTTLS) or start in TLS (direct
// TLS). Bytes only: it knows nothing of XML or XMPP. Every operation reports errors as values
// so no exception crosses the event loop.
//
// TLS runs OpenSSL over two buffers of our own (cipher_buffer.h) instead of asio::ssl::stream.
// asio's stream keeps four 17 KB buffers per connection for its whole life (about 68 KB), which
// dominated the memory of an idle TLS session. Here ciphertext is read into the caller's own
// buffer and handed to OpenSSL, encrypted output is sent straight from where OpenSSL wrote it,
// and buffers that grew for a burst are given back once empty; with SSL_MODE_RELEASE_BUFFERS an
// idle session holds only OpenSSL's connection state.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

#include "net/cipher_buffer.h"

namespace impd::net {

class StreamSocket {
 public:
  using Tcp = boost::asio::ip::tcp;
  using ErrorCode = boost::system::error_code;

  explicit StreamSocket(Tcp::socket socket);
  ~StreamSocket();
  StreamSocket(const StreamSocket&) = delete;
  StreamSocket& operator=(const StreamSocket&) = delete;

  // One read and one write may be in progress at the same time (not two of either).
  boost::asio::awaitable<std::size_t> readSome(boost::asio::mutable_buffer buffer, ErrorCode& ec);
  // The same split in two, so that a connection holds no read buffer while it waits (most
  // connections of a large deployment wait most of the time): waitReadable() until the peer
  // has sent something, then readReady() - without waiting - into a buffer shared by every
  // connection of the thread, until it returns 0, and flushAfterRead() (TLS 1.3 may have to
  // answer what it read). The caller must be done with the buffer before it suspends.
  boost::asio::awaitable<void> waitReadable(ErrorCode& ec);
  // waitReadable() for a caller that keeps no coroutine while it waits (an idle session's
  // suspended read loop cost about 1 KB of coroutine frames): handler(ec) runs on the
  // socket's executor once the peer has sent something.
  template <typename Handler>
  void onReadable(Handler handler);
  std::size_t readReady(boost::asio::mutable_buffer buffer, ErrorCode& ec);
  boost::asio::awaitable<void> flushAfterRead(ErrorCode& ec);
  boost::asio::awaitable<void> writeAll(boost::asio::const_buffer buffer, ErrorCode& ec);
  // Sends what the socket takes now, without waiting, and returns how much of `buffer` it
  // took. With TLS all of it is taken (encrypted) and ciphertext the socket refused stays
  // inside: hasUnsentOutput() says so, and writeAll() - even of nothing - sends it.
  std::size_t writeReady(boost::asio::const_buffer buffer, ErrorCode& ec);
  bool hasUnsentOutput() const;
  // Gives back the TLS buffers a quiet connection still holds (about 2 KB): its next burst
  // grows them again.
  void releaseBuffers();
  // Runs the server side of a TLS handshake on this connection.
  boost::asio::awaitable<void> startServerTls(boost::asio::ssl::context& ctx, ErrorCode& ec);
  // Runs the client side, naming `serverName` in SNI (RFC 6066) when it is a DNS name, and
  // offering `resume` (a session of an earlier connection) when given.
  boost::asio::awaitable<void> startClientTls(boost::asio::ssl::context& ctx,
                                              const std::string& serverName, ErrorCode& ec,
                                              SSL_SESSION* resume = nullptr);
  // The OpenSSL connection once TLS runs (for the peer certificate); null before.
  SSL* nativeTls() { return ssl_; }

  bool isTls() const { return ssl_ != nullptr; }
  bool isOpen() const { return socket_.is_open(); }
  // Closes at once; a pending read or write completes with an error.
  void close();
  Tcp::socket& tcp() { return socket_; }
  const std::string& remoteAddress() const { return remote_; }

 private:
  boost::asio::awaitable<void> handshake(ErrorCode& ec);
  // Sends what OpenSSL has written to its output buffer. Only one flush talks to the socket at a
  // time; a second caller waits until the first has sent everything, its own bytes included.
  boost::asio::awaitable<void> flushTls(ErrorCode& ec);
  // OpenSSL's error for a failed SSL_* call, as an error code (clears the error queue).
  ErrorCode tlsError(int result);
  // Frees emptied ciphertext buffers that grew beyond `keep` bytes.
  void releaseIdleBuffers(std::size_t keep);

  Tcp::socket socket_;
  std::string remote_;
  SSL* ssl_ = nullptr;
  CipherBuffer fromPeer_;  // ciphertext OpenSSL has yet to read
  CipherBuffer toPeer_;    // ciphertext OpenSSL wrote that the socket has yet to take
  bool flushing_ = false;
  bool drained_ = false;  // readReady() found the socket empty: waitReadable() must wait
  // Wakes callers waiting for a flush; made on first need.
  std::unique_ptr<boost::asio::steady_timer> flushed_;
};

template <typename Handler>
void StreamSocket::onReadable(Handler handler) {
  if (ssl_ && !drained_) {  // OpenSSL may hold bytes the socket no longer shows
    boost::asio::post(socket_.get_executor(),
                      [h = std::move(handler)]() mutable { h(ErrorCode{}); });
    return;
  }
  socket_.async_wait(Tcp::socket::wait_read,
                     [this, h = std::move(handler)](const ErrorCode& ec) mutable {
                       drained_ = false;
                       h(ec);
                     });
}

}  // namespace impd::net
