#include "s2s/inbound_connection.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <openssl/ssl.h>

#include "base/log.h"
#include "net/cert_identity.h"
#include "s2s/federation.h"

namespace impd::s2s {

namespace asio = boost::asio;
using asio::awaitable;

namespace {
std::string peerAddress(const asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  return ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
}
}  // namespace

InboundConnection::InboundConnection(Federation& federation, asio::ip::tcp::socket socket, asio::io_context& io)
    : Connection(federation.context(), io, "s2s in " + peerAddress(socket)),
      federation_(federation),
      stream_(federation.context().settings, federation.context().policy, *this, label_) {
  socket_ = std::make_unique<net::StreamSocket>(std::move(socket));
}

InboundConnection::~InboundConnection() = default;

awaitable<void> InboundConnection::run() {
  auto self = std::static_pointer_cast<InboundConnection>(shared_from_this());
  asio::co_spawn(executor(), [self] { return self->watchdog(); }, asio::detached);
  co_await readLoop(stream_);
  federation_.inboundEnded(this, socket_->remoteAddress());
}

void InboundConnection::postClose(std::string condition) {
  asio::post(executor(), [self = std::static_pointer_cast<InboundConnection>(shared_from_this()),
                          c = std::move(condition)] { self->stream_.fail(c); });
}

void InboundConnection::timedOut(std::string_view what) {
  stream_.fail("connection-timeout", std::string(what) == "idle" ? "idle" : "authentication took too long");
}

awaitable<void> InboundConnection::runTls() {
  boost::system::error_code ec;
  co_await socket_->startServerTls(*ctx_.serverTls, ec);
  if (ec) {
    logger("s2s")->info("{}: TLS handshake failed: {}", label_, ec.message());
    closeNow();
    co_return;
  }
  stream_.tlsEstablished();
}

bool InboundConnection::certificateValidFor(std::string_view domain) {
  if (auto it = certificateVerdicts_.find(domain); it != certificateVerdicts_.end()) return it->second;
  bool valid = false;
  SSL* ssl = socket_->nativeTls();
  X509* leaf = ssl ? SSL_get0_peer_certificate(ssl) : nullptr;
  if (leaf == nullptr) {
    logger("s2s")->info("{}: no client certificate for {}: dialback only", label_, domain);
  } else if (auto chain = net::verifyChain(leaf, SSL_get_peer_cert_chain(ssl),
                                           SSL_CTX_get_cert_store(ctx_.serverTls->native_handle()),
                                           net::PeerRole::kClient);
             !chain) {
    logger("s2s")->info("{}: certificate for {} not trusted ({}): dialback only", label_, domain,
                        chain.error().message);
  } else if (auto id = net::matchServiceIdentity(leaf, domain); !id) {
    logger("s2s")->info("{}: certificate does not name {} ({}): dialback only", label_, domain, id.error().message);
  } else {
    logger("s2s")->debug("{}: certificate names {} ({} {})", label_, domain, net::identityKindName(id->kind),
                         id->presented);
    valid = true;
  }
  certificateVerdicts_.emplace(std::string(domain), valid);
  return valid;
}

void InboundConnection::checkDialback(DialbackCheck check) {
  std::weak_ptr<Connection> weak = shared_from_this();
  federation_.checkDialback(check, [weak, check](DialbackOutcome outcome) {
    auto self = weak.lock();
    if (!self) return;
    asio::post(self->executor(), [self, check, outcome = std::move(outcome)] {
      static_cast<InboundConnection&>(*self).stream_.dialbackChecked(check, outcome);
    });
  });
}

void InboundConnection::deliver(xml::Element stanza) { toRoute_.push_back(std::move(stanza)); }

awaitable<void> InboundConnection::afterFeed() {
  // In arrival order, each routed to the end before the next (RFC 6120 §10.1 ordering).
  std::vector<xml::Element> stanzas = std::move(toRoute_);
  toRoute_.clear();
  if (!stanzas.empty()) noteActivity();
  for (auto& stanza : stanzas) co_await federation_.service().route(std::move(stanza));
}

std::string InboundConnection::newStreamId() { return ctx_.random.token(16); }

}  // namespace impd::s2s
