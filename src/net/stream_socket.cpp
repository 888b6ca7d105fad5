#include "net/stream_socket.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <array>

namespace impd::net {

namespace asio = boost::asio;
using asio::awaitable;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {
// The size above which an emptied ciphertext buffer gives its allocation back.
constexpr std::size_t kKeepBufferBytes = 4096;
}  // namespace

StreamSocket::StreamSocket(Tcp::socket socket) : socket_(std::move(socket)) {
  ErrorCode ec;
  auto ep = socket_.remote_endpoint(ec);
  if (!ec) remote_ = ep.address().to_string();
  socket_.set_option(Tcp::no_delay(true), ec);
}

StreamSocket::~StreamSocket() {
  if (ssl_) SSL_free(ssl_);  // frees both BIOs, before the buffers they point into
}

StreamSocket::ErrorCode StreamSocket::tlsError(int result) {
  const int reason = SSL_get_error(ssl_, result);
  const unsigned long queued = ERR_get_error();
  ERR_clear_error();
  if (reason == SSL_ERROR_ZERO_RETURN) return asio::error::eof;
  if (queued != 0) return ErrorCode(static_cast<int>(queued), asio::error::get_ssl_category());
  return asio::ssl::error::stream_truncated;
}

awaitable<void> StreamSocket::flushTls(ErrorCode& ec) {
  if (flushing_) {
    // The active flush sends what we added too; wait until it is done.
    while (flushing_) {
      if (!flushed_) flushed_ = std::make_unique<asio::steady_timer>(socket_.get_executor());
      flushed_->expires_at(asio::steady_timer::time_point::max());
      co_await flushed_->async_wait(kNoThrow);
    }
    if (!socket_.is_open()) ec = asio::error::broken_pipe;
    co_return;
  }
  flushing_ = true;
  while (!ec && !toPeer_.empty()) {
    // OpenSSL may append more while the socket waits, so what is in flight moves out first.
    const std::string chunk = toPeer_.take();
    std::size_t written = 0;
    std::tie(ec, written) = co_await asio::async_write(socket_, asio::buffer(chunk), kNoThrow);
  }
  flushing_ = false;
  if (flushed_) flushed_->cancel();
  releaseIdleBuffers(kKeepBufferBytes);
}

void StreamSocket::releaseIdleBuffers(std::size_t keep) {
  if (!flushing_) toPeer_.release(keep);
  fromPeer_.release(keep);
}

awaitable<std::size_t> StreamSocket::readSome(asio::mutable_buffer buffer, ErrorCode& ec) {
  if (!ssl_) {
    auto [error, n] = co_await socket_.async_read_some(buffer, kNoThrow);
    ec = error;
    co_return n;
  }
  for (;;) {
    ERR_clear_error();
    const int n = SSL_read(ssl_, buffer.data(), static_cast<int>(buffer.size()));
    if (n > 0) {
      // TLS 1.3 may answer (key updates) while reading.
      if (!toPeer_.empty()) co_await flushTls(ec);
      releaseIdleBuffers(kKeepBufferBytes);
      co_return static_cast<std::size_t>(n);
    }
    if (SSL_get_error(ssl_, n) != SSL_ERROR_WANT_READ) {
      ec = tlsError(n);
      co_return 0;
    }
    if (!toPeer_.empty()) {
      co_await flushTls(ec);
      if (ec) co_return 0;
    }
    // Ciphertext lands in the caller's buffer first, then moves where OpenSSL reads it; the
    // plaintext comes back into the same buffer on the next SSL_read.
    auto [error, got] = co_await socket_.async_read_some(buffer, kNoThrow);
    if (error) {
      ec = error == asio::error::eof ? ErrorCode(asio::ssl::error::stream_truncated) : error;
      co_return 0;
    }
    fromPeer_.append(static_cast<const char*>(buffer.data()), got);
  }
}

awaitable<void> StreamSocket::waitReadable(ErrorCode& ec) {
  // OpenSSL may hold bytes the socket no longer shows (records that came with the handshake):
  // only once readReady() has drained both is there something to wait for.
  if (ssl_ && !drained_) co_return;
  auto [error] = co_await socket_.async_wait(Tcp::socket::wait_read, kNoThrow);
  ec = error;
  drained_ = false;
}

std::size_t StreamSocket::readReady(asio::mutable_buffer buffer, ErrorCode& ec) {
  // Synchronous reads only take what is there: would_block means "wait again".
  if (!socket_.non_blocking()) socket_.non_blocking(true, ec);
  if (ec) return 0;
  auto readSocket = [&](asio::mutable_buffer into) -> std::size_t {
    const std::size_t got = socket_.read_some(into, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ec = {};
      drained_ = true;
      return 0;
    }
    if (ec == asio::error::eof && ssl_) ec = asio::ssl::error::stream_truncated;
    return ec ? 0 : got;
  };
  if (!ssl_) return readSocket(buffer);
  for (;;) {
    ERR_clear_error();
    const int n = SSL_read(ssl_, buffer.data(), static_cast<int>(buffer.size()));
    if (n > 0) {
      releaseIdleBuffers(kKeepBufferBytes);
      return static_cast<std::size_t>(n);
    }
    if (SSL_get_error(ssl_, n) != SSL_ERROR_WANT_READ) {
      ec = tlsError(n);
      return 0;
    }
    // Ciphertext lands in the buffer first, then moves where OpenSSL reads it; the plaintext
    // comes back into the same buffer on the next SSL_read.
    const std::size_t got = readSocket(buffer);
    if (got == 0) return 0;
    fromPeer_.append(static_cast<const char*>(buffer.data()), got);
  }
}

awaitable<void> StreamSocket::flushAfterRead(ErrorCode& ec) {
  if (ssl_ && !toPeer_.empty()) co_await flushTls(ec);
}

awaitable<void> StreamSocket::writeAll(asio::const_buffer buffer, ErrorCode& ec) {
  if (!ssl_) {
    std::size_t n = 0;
    std::tie(ec, n) = co_await asio::async_write(socket_, buffer, kNoThrow);
    co_return;
  }
  if (buffer.size() > 0) {
    ERR_clear_error();
    // The output buffer takes everything, so one call encrypts the whole buffer.
    const int n = SSL_write(ssl_, buffer.data(), static_cast<int>(buffer.size()));
    if (n <= 0) {
      ec = tlsError(n);
      co_return;
    }
  }
  co_await flushTls(ec);
}

std::size_t StreamSocket::writeReady(asio::const_buffer buffer, ErrorCode& ec) {
  if (!socket_.non_blocking()) socket_.non_blocking(true, ec);
  if (ec) return 0;
  auto sendSome = [&](const char* data, std::size_t size) -> std::size_t {
    const std::size_t n = socket_.write_some(asio::buffer(data, size), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ec = {};
      return 0;
    }
    return ec ? 0 : n;
  };
  if (!ssl_) return sendSome(static_cast<const char*>(buffer.data()), buffer.size());
  if (buffer.size() > 0) {
    ERR_clear_error();
    const int n = SSL_write(ssl_, buffer.data(), static_cast<int>(buffer.size()));
    if (n <= 0) {
      ec = tlsError(n);
      return 0;
    }
  }
  // A flush in progress sends what was just added; sending here too could reorder records.
  if (flushing_ || toPeer_.empty()) return buffer.size();
  // Nothing else touches the buffer until this returns, so its bytes are sent in place.
  toPeer_.consume(sendSome(toPeer_.data(), toPeer_.size()));
  releaseIdleBuffers(kKeepBufferBytes);
  return ec ? 0 : buffer.size();
}

void StreamSocket::releaseBuffers() {
  if (ssl_) releaseIdleBuffers(0);
}

bool StreamSocket::hasUnsentOutput() const {
  return ssl_ && !toPeer_.empty();
}

awaitable<void> StreamSocket::handshake(ErrorCode& ec) {
  std::array<char, 4096> buffer;  // lives only as long as the handshake
  for (;;) {
    ERR_clear_error();
    const int r = SSL_do_handshake(ssl_);
    if (!toPeer_.empty()) {
      co_await flushTls(ec);
      if (ec) co_return;
    }
    if (r == 1) break;
    if (SSL_get_error(ssl_, r) != SSL_ERROR_WANT_READ) {
      ec = tlsError(r);
      co_return;
    }
    auto [error, got] = co_await socket_.async_read_some(asio::buffer(buffer), kNoThrow);
    if (error) {
      ec = error == asio::error::eof ? ErrorCode(asio::ssl::error::stream_truncated) : error;
      co_return;
    }
    fromPeer_.append(buffer.data(), got);
  }
  releaseIdleBuffers(kKeepBufferBytes);
}

awaitable<void> StreamSocket::startServerTls(asio::ssl::context& ctx, ErrorCode& ec) {
  ssl_ = SSL_new(ctx.native_handle());
  SSL_set_bio(ssl_, newCipherBio(fromPeer_), newCipherBio(toPeer_));
  SSL_set_accept_state(ssl_);
  co_await handshake(ec);
}

awaitable<void> StreamSocket::startClientTls(asio::ssl::context& ctx, const std::string& serverName,
                                             ErrorCode& ec, SSL_SESSION* resume) {
  ssl_ = SSL_new(ctx.native_handle());
  SSL_set_bio(ssl_, newCipherBio(fromPeer_), newCipherBio(toPeer_));
  SSL_set_connect_state(ssl_);
  if (!serverName.empty()) SSL_set_tlsext_host_name(ssl_, serverName.c_str());
  if (resume != nullptr) SSL_set_session(ssl_, resume);
  co_await handshake(ec);
}

void StreamSocket::close() {
  ErrorCode ec;
  socket_.shutdown(Tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

}  // namespace impd::net
