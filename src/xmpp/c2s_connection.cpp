#include "xmpp/c2s_connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <array>

#include "base/log.h"
#include "codec/xmpp/namespaces.h"
#include "codec/xmpp/stanza.h"

namespace impd::xmpp {

namespace asio = boost::asio;
using asio::awaitable;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {
// A client that stops reading must not make us buffer without bound.
constexpr std::size_t kMaxQueuedBytes = 4 * 1024 * 1024;
constexpr std::size_t kReadChunk = 4096;
// Room reserved before serializing a stanza: most fit, so the string is allocated once rather
// than grown four or five times.
constexpr std::size_t kTypicalStanzaBytes = 256;

xml::Limits limitsFor(const config::C2s& s) {
  xml::Limits limits;
  limits.maxStanzaBytes = s.maxStanzaBytes;
  return limits;
}
}  // namespace

C2sConnection::C2sConnection(C2sContext& ctx, asio::ip::tcp::socket socket, bool directTls)
    : ctx_(ctx),
      socket_(std::move(socket)),
      directTls_(directTls),
      parser_(limitsFor(ctx.settings)),
      out_(socket_.tcp().get_executor(), kMaxQueuedBytes),
      timer_(socket_.tcp().get_executor()),
      lastRead_(ctx.clock.now()),
      lastWrite_(lastRead_),
      openedAt_(lastRead_),
      readBudget_(ctx.settings.bytesPerSecond, ctx.settings.bytesPerSecond, lastRead_) {}

C2sConnection::~C2sConnection() { ctx_.guard.release(socket_.remoteAddress()); }

awaitable<void> C2sConnection::run() {
  auto self = shared_from_this();
  watchdog();
  if (directTls_) {
    boost::system::error_code ec;
    co_await socket_.startServerTls(*ctx_.tls, ec);
    if (ec) {
      logger("c2s")->debug("{}: direct TLS handshake failed: {}", socket_.remoteAddress(), ec.message());
      phase_ = Phase::kClosed;
    } else {
      phase_ = Phase::kSecured;
    }
  }
  if (phase_ == Phase::kClosed) {
    co_await finish();
  } else {
    awaitInput();
  }
}

awaitable<void> C2sConnection::finish() {
  phase_ = Phase::kClosed;
  socket_.close();
  timer_.cancel();
  co_await endSession();
}

// The read buffer of every connection of this thread: bytes only pass through it (the parser
// copies what it keeps), so an idle connection holds no read buffer of its own.
static asio::mutable_buffer threadReadBuffer() {
  thread_local std::array<char, kReadChunk> buffer;
  return asio::buffer(buffer);
}

void C2sConnection::awaitInput() {
  socket_.onReadable([self = shared_from_this()](const boost::system::error_code& ec) {
    asio::co_spawn(self->timer_.get_executor(), [self, ec] { return self->readAvailable(ec); }, asio::detached);
  });
}

// Reads everything the socket has now, handles what it parsed, and goes back to waiting.
awaitable<void> C2sConnection::readAvailable(boost::system::error_code ec) {
  while (!ec) {
    const asio::mutable_buffer buffer = threadReadBuffer();
    const std::size_t n = socket_.readReady(buffer, ec);
    if (ec || n == 0) break;
    // After our closing words, whatever still arrives is read and dropped (see lingerClose).
    if (phase_ == Phase::kClosed) continue;
    auto now = ctx_.clock.now();
    lastRead_ = now;
    if (parserCompacted_) {
      // The watchdog sleeps towards a far deadline now; have it count the next quiet second.
      parserCompacted_ = false;
      timer_.cancel();
    }
    readBudget_.consume(static_cast<double>(n), now);
    // Synchronous: the buffer is free again before anything below suspends.
    xml::StreamViolation violation = parser_.feed({static_cast<const char*>(buffer.data()), n}, *this);
    std::vector<Event> events = std::move(events_);
    events_.clear();
    for (Event& event : events) {
      co_await handleEvent(event);
      if (phase_ == Phase::kClosed) break;
    }
    if (phase_ == Phase::kClosed) continue;
    if (violation != xml::StreamViolation::kNone) {
      closeWithStreamError(xml::violationCondition(violation));
      continue;
    }
    // Over the byte budget: stop reading for a while, and TCP pushes back on the sender.
    if (auto delay = readBudget_.debtDelay(); delay.count() > 0) {
      asio::steady_timer pause(timer_.get_executor(), delay);
      co_await pause.async_wait(kNoThrow);
    }
  }
  if (!ec) co_await socket_.flushAfterRead(ec);
  if (!ec && socket_.isOpen()) {
    awaitInput();
  } else {
    co_await finish();
  }
}

void C2sConnection::onStreamOpen(const xml::Element& header, std::string_view defaultNs) {
  events_.push_back(Event{Event::kOpen, header, std::string(defaultNs)});
}

void C2sConnection::onStanza(xml::Element&& stanza) {
  events_.push_back(Event{Event::kStanza, std::move(stanza), {}});
}

void C2sConnection::onStreamClose() { events_.push_back(Event{Event::kClose, {}, {}}); }

// One timer per connection, always set to the nearest deadline: the end of negotiation, the
// keep-alive, and the idle check. A bound client that goes quiet is first asked whether it is
// still there (an XEP-0198 <r/> or an XEP-0199 ping); only if it stays silent for the grace
// period is it cut, so a live client that simply has nothing to say is never dropped.
void C2sConnection::watchdog() {
  using std::chrono::seconds;
  const auto& s = ctx_.settings;
  const auto grace = seconds(std::clamp(s.keepaliveSeconds, 1u, 30u));
  while (phase_ != Phase::kClosed) {
    auto now = ctx_.clock.now();
    if (idleProbeAt_ && lastRead_ > *idleProbeAt_) idleProbeAt_.reset();
    auto deadline = std::min(idleProbeAt_ ? *idleProbeAt_ + grace : lastRead_ + seconds(s.idleTimeoutSeconds),
                             lastWrite_ + seconds(s.keepaliveSeconds));
    // A stream quiet for a while gives back the XML parser's buffers; most sessions of a
    // large deployment are idle most of the time.
    if (!parserCompacted_) deadline = std::min(deadline, lastRead_ + kCompactAfter);
    if (phase_ != Phase::kBound) deadline = std::min(deadline, openedAt_ + seconds(s.negotiationTimeoutSeconds));
    if (deadline > now) {
      timer_.expires_after(deadline - now);
      // Re-evaluated on every wake-up: it may be a cancel because something changed.
      timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) { self->watchdog(); });
      return;
    }
    if (!parserCompacted_ && now >= lastRead_ + kCompactAfter) {
      parserCompacted_ = true;  // also when compact() declines (mid-stanza): retry after the next read
      if (parser_.compact()) logger("c2s")->debug("{}: quiet, parser released", socket_.remoteAddress());
      socket_.releaseBuffers();
      continue;
    }
    if (phase_ != Phase::kBound && now >= openedAt_ + seconds(s.negotiationTimeoutSeconds)) {
      closeWithStreamError("connection-timeout", "negotiation took too long");
    } else if (idleProbeAt_ && now >= *idleProbeAt_ + grace) {
      closeWithStreamError("connection-timeout", "idle");
    } else if (!idleProbeAt_ && now >= lastRead_ + seconds(s.idleTimeoutSeconds)) {
      if (phase_ != Phase::kBound) {
        closeWithStreamError("connection-timeout", "idle");
      } else {
        idleProbeAt_ = now;
        probeIdleClient();
      }
    } else {
      if (headerSent_) write(" ");  // RFC 6120 §4.6.1 whitespace keep-alive
      lastWrite_ = now;             // counted when queued, so the loop moves on
    }
  }
}

void C2sConnection::probeIdleClient() {
  if (session_->sm.enabled()) {
    write("<r xmlns='urn:xmpp:sm:3'/>");
    return;
  }
  xml::Element ping("iq", std::string(ns::kClient));
  ping.setAttr("type", "get");
  ping.setAttr("id", kIdlePingId);
  ping.setAttr("from", domain_);
  ping.setAttr("to", session_->jid().str());
  ping.addChild("ping", std::string(ns::kPing));
  sendStanza(std::move(ping));
}

void C2sConnection::write(std::string data) {
  if (!socket_.isOpen()) return;
  if (!out_.push(std::move(data), socket_, shared_from_this())) {
    logger("c2s")->info("{}: closing a stream that stopped reading", socket_.remoteAddress());
    phase_ = Phase::kClosed;
    socket_.close();
  }
}

void C2sConnection::closeAfterWrites() {
  asio::co_spawn(timer_.get_executor(), [self = shared_from_this()] { return self->lingerClose(); },
                 asio::detached);
}

awaitable<void> C2sConnection::lingerClose() {
  co_await out_.drained();
  if (!socket_.isOpen()) co_return;
  // Lingering close: closing a socket with unread input makes TCP send a reset, which can
  // destroy the stream error we just wrote before the peer reads it. So only our direction
  // is shut now; the read loop drains the peer until it closes or the linger time is up.
  boost::system::error_code ec;
  socket_.tcp().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  // The watchdog has stopped with the stream, so its timer is free; finish() cancels it as
  // soon as the peer has closed, which ends the wait early.
  timer_.expires_after(kLingerTime);
  co_await timer_.async_wait(kNoThrow);
  socket_.close();
}

void C2sConnection::sendElement(const xml::Element& e) {
  std::string out;
  out.reserve(kTypicalStanzaBytes);
  xml::serializeTo(out, e, ns::kClient);
  write(std::move(out));
}

void C2sConnection::sendStanza(xml::Element stanza) {
  core::toClientNamespace(stanza);
  if (session_ && session_->sm.enabled()) {
    session_->sm.sent(stanza);
    if (++sinceAckRequest_ >= 5) {
      sendElement(stanza);
      write("<r xmlns='urn:xmpp:sm:3'/>");
      sinceAckRequest_ = 0;
      return;
    }
  }
  sendElement(stanza);
}

void C2sConnection::post(xml::Element stanza) {
  asio::post(timer_.get_executor(), [self = shared_from_this(), s = std::move(stanza)]() mutable {
    self->sendPosted(std::move(s));
  });
}

void C2sConnection::postPrepared(std::shared_ptr<const core::PreparedStanza> stanza,
                                 std::string to) {
  asio::post(timer_.get_executor(),
             [self = shared_from_this(), s = std::move(stanza), to = std::move(to)] {
               // Stream management keeps every stanza it sends as an element; other open
               // streams take the prepared bytes.
               const bool keepsStanzas = self->session_ && self->session_->sm.enabled();
               if (self->phase_ != Phase::kClosed && !keepsStanzas) {
                 self->write(s->bytesTo(to));
               } else {
                 self->sendPosted(s->addressedTo(to));
               }
             });
}

void C2sConnection::sendPosted(xml::Element stanza) {
  if (phase_ != Phase::kClosed) {
    sendStanza(std::move(stanza));
  } else if (session_ && !sessionEnded_) {
    // Raced with the end of this stream: the session queues it for a resumption, or it
    // comes back here once the session has ended.
    session_->deliver(std::move(stanza));
  } else {
    rerouteLost(std::move(stanza));
  }
}

void C2sConnection::postClose(std::string condition, std::string text) {
  asio::post(timer_.get_executor(), [self = shared_from_this(), c = std::move(condition),
                                     t = std::move(text)] { self->closeWithStreamError(c, t); });
}

void C2sConnection::closeWithStreamError(std::string_view condition, std::string_view text) {
  if (phase_ == Phase::kClosed) return;
  logger("c2s")->debug("{}: stream error {} {}", socket_.remoteAddress(), condition, text);
  if (!headerSent_) {
    write(streamHeaderXml(ns::kClient, domain_.empty() ? ctx_.domains.front() : domain_, {},
                          ctx_.random.token()));
    headerSent_ = true;
  }
  write(streamErrorXml(condition, text));
  phase_ = Phase::kClosed;
  cleanClose_ = condition == "conflict";  // a replaced session is not resumable
  timer_.cancel();
  closeAfterWrites();
}

void C2sConnection::closeStream() {
  if (phase_ == Phase::kClosed) return;
  write("</stream:stream>");
  phase_ = Phase::kClosed;
  timer_.cancel();
  closeAfterWrites();
}

}  // namespace impd::xmpp
