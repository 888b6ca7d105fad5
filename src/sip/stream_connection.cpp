// TCP/TLS connections carrying SIP (stream_connection.h).
#include "sip/stream_connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/ssl.h>

#include <array>

#include "base/log.h"
#include "net/cert_identity.h"
#include "net/connect.h"
#include "sip/responses.h"

namespace impd::sip {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string endpointText(const tcp::endpoint& ep) {
  const auto a = ep.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
}

// The hops onto the core executor. Plain functions, so that no coroutine lambda captures.
awaitable<void> announce(TransportOwner& owner, std::shared_ptr<StreamConnection> connection) {
  owner.connectionUp(std::move(connection));
  co_return;
}
awaitable<void> deliver(TransportOwner& owner, std::uint64_t id, Message message) {
  owner.messageArrived(id, std::move(message));
  co_return;
}
awaitable<void> reportDown(TransportOwner& owner, std::uint64_t id, bool inbound, std::string address) {
  owner.connectionDown(id, inbound, std::move(address));
  co_return;
}
}  // namespace

StreamConnection::StreamConnection(TransportOwner& owner, asio::io_context& home, tcp::socket socket,
                                   TransportKind kind, bool outbound, std::uint64_t id)
    : owner_(owner), outbound_(outbound), framer_(owner.limits()), timer_(home), out_(home.get_executor(), kMaxQueuedBytes) {
  boost::system::error_code ec;
  local_ = socket.local_endpoint(ec);
  const auto remote = socket.remote_endpoint(ec);
  destination_ = Destination{kind, remote.address().to_string(), remote.port(), id};
  std::string name(transportName(kind));
  for (auto& c : name) c = static_cast<char>(c - 'A' + 'a');
  label_ = name + (outbound ? " to " : " from ") + endpointText(remote) + " #" + std::to_string(id);
  socket_ = std::make_unique<net::StreamSocket>(std::move(socket));
  openedAt_ = lastRead_ = lastWrite_ = lastMessage_ = owner.clock().now();
}

StreamConnection::~StreamConnection() = default;

awaitable<void> StreamConnection::serve() {
  auto self = shared_from_this();
  asio::co_spawn(timer_.get_executor(), [self] { return self->watchdog(); }, asio::detached);
  if (kind() == TransportKind::Tls) {
    boost::system::error_code ec;
    co_await socket_->startServerTls(owner_.serverTls(), ec);
    if (ec) {
      logger("sip")->info("{}: TLS handshake failed: {}", label_, ec.message());
      closeNow();
      asio::co_spawn(owner_.coreExecutor(), reportDown(owner_, id(), true, destination_.host), asio::detached);
      co_return;
    }
    checkCertificate(true);
  }
  up_ = true;
  co_await asio::co_spawn(owner_.coreExecutor(), announce(owner_, self), asio::use_awaitable);
  co_await run();
}

awaitable<std::shared_ptr<StreamConnection>> StreamConnection::open(TransportOwner& owner, asio::io_context& home,
                                                                    Hop hop, asio::ip::address address,
                                                                    std::string domain, std::uint64_t id) {
  tcp::socket socket(home);
  const tcp::endpoint endpoint(address, hop.port);
  if (auto source = owner.sourceAddress(hop.transport); source && source->is_v4() == address.is_v4()) {
    boost::system::error_code ec;
    socket.open(endpoint.protocol(), ec);
    if (!ec) socket.bind(tcp::endpoint(*source, 0), ec);
    if (ec) {
      logger("sip")->warn("cannot connect from {}: {}; the system chooses the address", source->to_string(),
                          ec.message());
      socket.close(ec);
    }
  }
  if (auto ec = co_await net::connectWithin(socket, endpoint, kConnectTimeout)) {
    logger("sip")->info("{} ({}) does not answer: {}", hop.host, endpointText(endpoint),
                        ec == asio::error::timed_out ? "timed out" : ec.message());
    co_return nullptr;
  }
  auto connection = std::make_shared<StreamConnection>(owner, home, std::move(socket), hop.transport, true, id);
  if (hop.transport == TransportKind::Tls) {
    boost::system::error_code ec;
    co_await connection->socket_->startClientTls(owner.clientTls(), hop.host, ec);
    if (ec) {
      logger("sip")->info("{}: TLS handshake failed: {}", connection->label_, ec.message());
      connection->closeNow();
      co_return nullptr;
    }
    connection->checkCertificate(false);
    const PeerCertificate& cert = connection->certificate_;
    // RFC 5922 §7.2 checks the domain. COMPAT: Lync/SfB Access Edges are often certified for
    // their own FQDN (the SRV target or configured route), with the SIP domains as extra SANs
    // or not at all; Microsoft peers match on that FQDN.
    const bool named = matchSipDomain(cert.names, domain) ||
                       (!dns::parseAddressLiteral(hop.host) && matchSipDomain(cert.names, hop.host));
    if (!cert.trusted || !named) {
      logger("sip")->info("{}: refusing the server certificate for {}: {}", connection->label_, domain,
                          !cert.trusted ? cert.problem : "it names " + describe(cert.names));
      connection->closeNow();
      co_return nullptr;
    }
  }
  connection->up_ = true;
  logger("sip")->debug("{}: connected for {}", connection->label_, domain);
  co_return connection;
}

void StreamConnection::checkCertificate(bool peerIsClient) {
  SSL* ssl = socket_->nativeTls();
  X509* leaf = ssl ? SSL_get0_peer_certificate(ssl) : nullptr;
  if (leaf == nullptr) {
    certificate_.problem = "no certificate";
    return;
  }
  certificate_.presented = true;
  certificate_.names = extractIdentities(leaf);
  auto chain = net::verifyChain(leaf, SSL_get_peer_cert_chain(ssl), SSL_CTX_get_cert_store(SSL_get_SSL_CTX(ssl)),
                                peerIsClient ? net::PeerRole::kClient : net::PeerRole::kServer);
  certificate_.trusted = chain.ok();
  if (!chain) certificate_.problem = chain.error().message;
  logger("sip")->debug("{}: certificate {} names {}", label_, chain ? "trusted," : certificate_.problem + ";",
                       describe(certificate_.names));
}

awaitable<void> StreamConnection::run() {
  auto self = shared_from_this();
  if (outbound_) asio::co_spawn(timer_.get_executor(), [self] { return self->watchdog(); }, asio::detached);
  co_await readLoop();
  closeNow();
  ended_ = true;
  co_await asio::co_spawn(owner_.coreExecutor(), reportDown(owner_, id(), !outbound_, destination_.host),
                          asio::use_awaitable);
}

awaitable<void> StreamConnection::readLoop() {
  std::array<char, kReadChunk> buffer;
  while (socket_->isOpen()) {
    boost::system::error_code ec;
    const std::size_t n = co_await socket_->readSome(asio::buffer(buffer), ec);
    if (ec) break;
    lastRead_ = owner_.clock().now();
    if (closing_) continue;  // after our last words, input is read and dropped
    framer_.append({buffer.data(), n});
    while (!closing_) {
      auto frame = framer_.next();
      if (!frame) break;
      co_await handleFrame(std::move(*frame));
    }
  }
}

awaitable<void> StreamConnection::handleFrame(Frame frame) {
  switch (frame.kind) {
    case Frame::Kind::kPing:
      write(std::string(kPong));  // RFC 5626 §4.4.1
      co_return;
    case Frame::Kind::kPong:
      co_return;
    case Frame::Kind::kLost: {
      logger("sip")->info("{}: closing, the stream cannot be framed: {}", label_, frame.error.message);
      const int status = frame.error.condition == "too-large" ? 513 : 400;
      if (auto answer = badRequestFor(frame.bytes, frame.error.message, owner_.random().token(8), status)) {
        logger("sip")->debug("{}: answered {}", label_, answer->status());
        write(serialize(*answer));
      }
      closeAfterWrites();
      co_return;
    }
    case Frame::Kind::kMessage:
      break;
  }
  auto message = parse(frame.bytes, owner_.limits());
  if (!message) {
    // Framing held, so the connection goes on; only this message is refused.
    logger("sip")->info("{}: malformed message: {}", label_, message.error().message);
    if (auto answer = badRequestFor(frame.bytes, message.error().message, owner_.random().token(8))) {
      logger("sip")->debug("{}: answered {}", label_, answer->status());
      write(serialize(*answer));
    }
    co_return;
  }
  lastMessage_ = owner_.clock().now();
  co_await asio::co_spawn(owner_.coreExecutor(), deliver(owner_, id(), std::move(*message)), asio::use_awaitable);
}

awaitable<void> StreamConnection::watchdog() {
  while (!closing_ && socket_->isOpen()) {
    const auto now = owner_.clock().now();
    Clock::Steady::time_point deadline;
    if (!up_) {
      deadline = openedAt_ + kHandshakeTimeout;
    } else if (outbound_) {
      deadline = std::min(lastWrite_ + kKeepAliveInterval, lastMessage_ + kOutboundIdleTimeout);
    } else {
      deadline = lastRead_ + kInboundIdleTimeout;
    }
    if (deadline > now) {
      timer_.expires_after(deadline - now);
      co_await timer_.async_wait(kNoThrow);
      continue;
    }
    if (!up_) {
      logger("sip")->info("{}: closing, no TLS handshake in time", label_);
      closeNow();
    } else if (!outbound_ || now >= lastMessage_ + kOutboundIdleTimeout) {
      logger("sip")->debug("{}: closing, idle", label_);
      closeAfterWrites();
    } else {
      write(std::string(kPing));  // RFC 5626 §4.4.1 keep-alive on a connection we own
      lastWrite_ = now;
    }
  }
}

void StreamConnection::send(std::string bytes) {
  asio::post(timer_.get_executor(), [self = shared_from_this(), b = std::move(bytes)]() mutable {
    self->lastMessage_ = self->owner_.clock().now();
    self->write(std::move(b));
  });
}

void StreamConnection::close() {
  asio::post(timer_.get_executor(), [self = shared_from_this()] { self->closeAfterWrites(); });
}

void StreamConnection::write(std::string bytes) {
  if (!socket_->isOpen() || ended_) return;
  if (!out_.push(std::move(bytes), *socket_, shared_from_this())) {
    logger("sip")->warn("{}: closing a connection whose peer stopped reading", label_);
    closeNow();
    return;
  }
  lastWrite_ = owner_.clock().now();
}

void StreamConnection::closeAfterWrites() {
  if (closing_) return;
  closing_ = true;
  timer_.cancel();
  asio::co_spawn(timer_.get_executor(), [self = shared_from_this()] { return self->lingerClose(); },
                 asio::detached);
}

awaitable<void> StreamConnection::lingerClose() {
  co_await out_.drained();
  if (!socket_->isOpen()) co_return;
  // Closing with unread input would reset the connection and could destroy what we just
  // wrote: shut our side, let the read loop drain the peer until it closes or time is up.
  boost::system::error_code ec;
  socket_->tcp().shutdown(tcp::socket::shutdown_send, ec);
  asio::steady_timer wait(timer_.get_executor(), kLingerTime);
  co_await wait.async_wait(kNoThrow);
  socket_->close();
}

void StreamConnection::closeNow() {
  closing_ = true;
  socket_->close();
  timer_.cancel();
}

}  // namespace impd::sip
