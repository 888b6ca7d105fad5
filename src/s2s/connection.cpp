#include "s2s/connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>

#include "base/log.h"

namespace impd::s2s {

namespace asio = boost::asio;
using asio::awaitable;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {
// A peer that stops reading must not make us buffer without bound.
constexpr std::size_t kMaxQueuedBytes = 16 * 1024 * 1024;
constexpr std::size_t kReadChunk = 8192;
constexpr std::chrono::seconds kLingerTime{2};

xml::Limits s2sLimits() {
  xml::Limits limits;
  limits.maxStanzaBytes = kMaxStanzaBytes;
  return limits;
}
}  // namespace

Connection::Connection(Context& ctx, asio::io_context& io, std::string label)
    : ctx_(ctx),
      label_(std::move(label)),
      parser_(s2sLimits()),
      timer_(io),
      openedAt_(ctx.clock.now()),
      lastWrite_(openedAt_),
      lastActivity_(openedAt_),
      out_(io.get_executor(), kMaxQueuedBytes) {}

Connection::~Connection() = default;

awaitable<void> Connection::readLoop(xml::StreamHandler& handler) {
  std::array<char, kReadChunk> buffer;
  while (socket_ && socket_->isOpen()) {
    boost::system::error_code ec;
    std::size_t n = co_await socket_->readSome(asio::buffer(buffer), ec);
    if (ec) break;
    if (closing_) continue;  // after our last words, input is read and dropped
    xml::StreamViolation violation = parser_.feed({buffer.data(), n}, handler);
    co_await afterFeed();
    if (tlsRequested_) {
      tlsRequested_ = false;
      co_await out_.drained();
      co_await runTls();
      continue;
    }
    if (violation != xml::StreamViolation::kNone && !closing_) {
      violated(xml::violationCondition(violation));
    }
  }
  if (socket_) socket_->close();
  timer_.cancel();
}

awaitable<void> Connection::watchdog() {
  while (!closing_ && socket_ && socket_->isOpen()) {
    auto now = ctx_.clock.now();
    auto deadline = lastActivity_ + kIdleTimeout;
    if (negotiated()) deadline = std::min(deadline, lastWrite_ + kKeepalive);
    else deadline = std::min(deadline, openedAt_ + kNegotiationTimeout);
    if (deadline > now) {
      timer_.expires_after(deadline - now);
      co_await timer_.async_wait(kNoThrow);
      continue;
    }
    if (!negotiated() && now >= openedAt_ + kNegotiationTimeout) {
      timedOut("negotiation");
    } else if (now >= lastActivity_ + kIdleTimeout) {
      timedOut("idle");
    } else {
      write(" ");  // RFC 6120 §4.6.1 whitespace keep-alive
      lastWrite_ = now;
    }
  }
}

void Connection::write(std::string bytes) {
  if (!socket_ || !socket_->isOpen()) return;
  if (!out_.push(std::move(bytes), *socket_, shared_from_this())) {
    logger("s2s")->warn("{}: closing a stream whose peer stopped reading", label_);
    closeNow();
    return;
  }
  lastWrite_ = ctx_.clock.now();
}

void Connection::closeAfterWrites() {
  if (closing_) return;
  closing_ = true;
  timer_.cancel();
  asio::co_spawn(executor(), [self = shared_from_this()] { return self->lingerClose(); }, asio::detached);
}

awaitable<void> Connection::lingerClose() {
  co_await out_.drained();
  if (!socket_ || !socket_->isOpen()) co_return;
  // Closing with unread input would reset the connection and could destroy what we just
  // wrote. Shut our side; the read loop drains the peer until it closes or time is up.
  boost::system::error_code ec;
  socket_->tcp().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  asio::steady_timer linger(executor(), kLingerTime);
  co_await linger.async_wait(kNoThrow);
  socket_->close();
}

void Connection::closeNow() {
  closing_ = true;
  if (socket_) socket_->close();
  timer_.cancel();
}

}  // namespace impd::s2s
