#include "s2s/outbound_connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/ssl.h>

#include "base/log.h"
#include "codec/xmpp/stanza.h"
#include "net/cert_identity.h"
#include "net/connect.h"
#include "s2s/federation.h"

namespace impd::s2s {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;

namespace {
// What a failed stream's queued stanzas get back. Presence the server sent on the user's
// behalf is not answered (the IM service never bounces that either); what the user asked
// for is.
bool deservesBounce(const xml::Element& stanza) {
  if (xmpp::isError(stanza)) return false;
  const auto kind = xmpp::stanzaKind(stanza);
  const auto type = stanza.attr("type");
  if (kind == xmpp::StanzaKind::kIq) return type == "get" || type == "set";
  if (kind == xmpp::StanzaKind::kPresence) return type == "subscribe";
  return kind == xmpp::StanzaKind::kMessage;
}

awaitable<void> routeAll(im::Service& service, std::vector<xml::Element> stanzas) {
  for (auto& stanza : stanzas) co_await service.route(std::move(stanza));
}
}  // namespace

OutboundConnection::OutboundConnection(Federation& federation, asio::io_context& io, std::string local,
                                       std::string remote, bool trySaslExternal)
    : Connection(federation.context(), io, "s2s " + local + " -> " + remote),
      federation_(federation),
      local_(std::move(local)),
      remote_(std::move(remote)),
      settings_(federation.context().settings),
      stream_(settings_, local_, remote_, *this) {
  settings_.saslExternal = settings_.saslExternal && trySaslExternal;
}

OutboundConnection::~OutboundConnection() = default;

awaitable<std::vector<dns::Target>> OutboundConnection::plan() {
  for (const auto& route : ctx_.routes) {
    if (route.domain == remote_) co_return std::vector<dns::Target>{{route.address.host, route.address.port, false}};
  }
  dns::Resolver& resolver = federation_.resolverFor(static_cast<asio::io_context&>(executor().context()));
  auto xmpps = co_await resolver.srv(dns::xmppsServerName(remote_));
  auto xmpp = co_await resolver.srv(dns::xmppServerName(remote_));
  if (!xmpps) logger("s2s")->debug("{}: {}: {}", label_, dns::xmppsServerName(remote_), xmpps.error().message);
  if (!xmpp) logger("s2s")->debug("{}: {}: {}", label_, dns::xmppServerName(remote_), xmpp.error().message);
  co_return dns::connectPlan(remote_, xmpps ? *xmpps : std::vector<dns::SrvRecord>{},
                             xmpp ? *xmpp : std::vector<dns::SrvRecord>{}, ctx_.random);
}

awaitable<bool> OutboundConnection::connectTo(const dns::Target& target) {
  dns::Resolver& resolver = federation_.resolverFor(static_cast<asio::io_context&>(executor().context()));
  auto addresses = co_await resolver.addresses(target.host);
  if (!addresses) {
    logger("s2s")->info("{}: {}: {}", label_, target.host, addresses.error().message);
    timedOut_ = timedOut_ || addresses.error().condition == dns::kTimeout;
    co_return false;
  }
  for (const auto& address : *addresses) {
    tcp::socket socket(executor());
    tcp::endpoint endpoint(address, target.port);
    const auto ec = co_await net::connectWithin(socket, endpoint, kConnectTimeout);
    const bool expired = ec == asio::error::timed_out;
    if (ec) {
      logger("s2s")->info("{}: {} ({}:{}) does not answer: {}", label_, target.host, address.to_string(), target.port,
                          expired ? "timed out" : ec.message());
      timedOut_ = timedOut_ || expired;
      continue;
    }
    socket_ = std::make_unique<net::StreamSocket>(std::move(socket));
    if (target.directTls) {
      boost::system::error_code tlsError;
      co_await socket_->startClientTls(*ctx_.clientTls, remote_, tlsError);
      if (tlsError) {
        logger("s2s")->info("{}: direct TLS to {}:{} failed: {}", label_, target.host, target.port, tlsError.message());
        socket_.reset();
        continue;
      }
    }
    logger("s2s")->debug("{}: connected to {} ({}:{}){}", label_, target.host, address.to_string(), target.port,
                         target.directTls ? " with direct TLS" : "");
    co_return true;
  }
  co_return false;
}

awaitable<void> OutboundConnection::run() {
  auto self = std::static_pointer_cast<OutboundConnection>(shared_from_this());
  const auto targets = co_await plan();
  if (targets.empty()) {
    stream_.fail("remote-server-not-found", "the domain offers no server-to-server service (DNS)");
    co_return;
  }
  const dns::Target* chosen = nullptr;
  for (const auto& target : targets) {
    if (ended_) co_return;
    if (co_await connectTo(target)) {
      chosen = &target;
      break;
    }
  }
  if (chosen == nullptr) {
    stream_.fail(timedOut_ ? "remote-server-timeout" : "remote-server-not-found", "no target answered");
    co_return;
  }
  openedAt_ = lastActivity_ = lastWrite_ = ctx_.clock.now();
  asio::co_spawn(executor(), [self] { return self->watchdog(); }, asio::detached);
  stream_.connected(chosen->directTls);
  co_await readLoop(stream_);
  stream_.fail("remote-server-not-found", "the connection closed");
}

awaitable<void> OutboundConnection::runTls() {
  boost::system::error_code ec;
  co_await socket_->startClientTls(*ctx_.clientTls, remote_, ec);
  if (ec) {
    stream_.fail("remote-server-not-found", "TLS handshake failed: " + ec.message());
    co_return;
  }
  // Only logged: a peer whose certificate we cannot validate may still prove itself with
  // dialback, which is what the TLS modes of the seed allow.
  SSL* ssl = socket_->nativeTls();
  X509* leaf = SSL_get0_peer_certificate(ssl);
  auto chain = leaf ? net::verifyChain(leaf, SSL_get_peer_cert_chain(ssl),
                                       SSL_CTX_get_cert_store(ctx_.clientTls->native_handle()))
                    : Result<void>(makeError(std::string(net::kCertUntrusted), "no certificate"));
  auto id = leaf ? net::matchServiceIdentity(leaf, remote_) : Result<net::IdentityMatch>(chain.error());
  logger("s2s")->debug("{}: TLS up; certificate {}{}", label_, chain ? "trusted" : chain.error().message,
                       id ? ", names " + remote_ : "");
  stream_.tlsEstablished();
}

void OutboundConnection::post(xml::Element stanza) {
  asio::post(executor(), [self = std::static_pointer_cast<OutboundConnection>(shared_from_this()),
                          s = std::move(stanza)]() mutable { self->enqueue(std::move(s)); });
}

void OutboundConnection::enqueue(xml::Element stanza) {
  if (ended_) {
    // Raced with the end of this stream: a new one takes it.
    federation_.send(local_, remote_, std::move(stanza));
    return;
  }
  noteActivity();
  if (stream_.established()) {
    stream_.sendStanza(std::move(stanza));
    return;
  }
  if (queue_.size() >= kMaxQueuedStanzas) {
    std::vector<xml::Element> one;
    one.push_back(std::move(stanza));
    bounce(std::move(one), "resource-constraint");
    return;
  }
  queue_.push_back(std::move(stanza));
}

void OutboundConnection::postVerify(DialbackCheck check, std::function<void(DialbackOutcome)> done) {
  asio::post(executor(), [self = std::static_pointer_cast<OutboundConnection>(shared_from_this()),
                          check = std::move(check), done = std::move(done)]() mutable {
    if (self->ended_) {
      done({"error", "remote-connection-failed"});
      return;
    }
    self->verifyWaiters_[{check.peer, check.local, check.streamId}] = std::move(done);
    self->stream_.askVerify(std::move(check));
  });
}

void OutboundConnection::postClose() {
  asio::post(executor(), [self = std::static_pointer_cast<OutboundConnection>(shared_from_this())] {
    self->stream_.close();
  });
}

void OutboundConnection::established(std::string_view) {
  while (!queue_.empty() && stream_.established()) {
    stream_.sendStanza(std::move(queue_.front()));
    queue_.pop_front();
  }
}

void OutboundConnection::failed(std::string_view condition, std::string reason) {
  if (ended_) return;
  ended_ = true;
  if (stream_.interruptedDuringExternal() && settings_.dialback) {
    // What the peer would have answered with <failure/>, it answered by hanging up. Other
    // servers fall back to dialback on <failure/>; we do it on a new stream.
    logger("s2s")->warn("{}: the peer dropped the stream during SASL EXTERNAL; using dialback with it from now on",
                        label_);
    federation_.markExternalBroken(remote_);
    federation_.outboundEnded(this, local_, remote_);
    for (auto& stanza : queue_) federation_.send(local_, remote_, std::move(stanza));
    queue_.clear();
    for (auto& [key, done] : verifyWaiters_) done({"error", "remote-connection-failed"});
    verifyWaiters_.clear();
    closeAfterWrites();
    return;
  }
  if (!queue_.empty() || !stream_.established()) {
    logger("s2s")->info("{}: {} ({}); {} queued stanza(s) answered {}", label_, reason, condition, queue_.size(),
                        condition);
  } else {
    logger("s2s")->debug("{}: stream ended: {}", label_, reason);
  }
  federation_.outboundEnded(this, local_, remote_);
  std::vector<xml::Element> queued(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  bounce(std::move(queued), condition);
  for (auto& [key, done] : verifyWaiters_) done({"error", "remote-connection-failed"});
  verifyWaiters_.clear();
  closeAfterWrites();
}

void OutboundConnection::bounce(std::vector<xml::Element> stanzas, std::string_view condition) {
  std::vector<xml::Element> errors;
  for (const auto& stanza : stanzas) {
    if (deservesBounce(stanza)) errors.push_back(xmpp::makeErrorReply(stanza, condition));
  }
  if (errors.empty()) return;
  asio::co_spawn(executor(), routeAll(federation_.service(), std::move(errors)), asio::detached);
}

void OutboundConnection::verified(const DialbackCheck& check, const DialbackOutcome& outcome) {
  auto it = verifyWaiters_.find({check.peer, check.local, check.streamId});
  if (it == verifyWaiters_.end()) return;
  auto done = std::move(it->second);
  verifyWaiters_.erase(it);
  done(outcome);
}

void OutboundConnection::timedOut(std::string_view what) {
  if (what == "idle") {
    stream_.close();
  } else {
    stream_.fail("remote-server-timeout", "the peer took too long to authenticate us");
  }
}

void OutboundConnection::violated(std::string_view condition) {
  write(xmpp::streamErrorXml(condition));
  stream_.fail("remote-server-not-found", "the peer sent bad XML (" + std::string(condition) + ")");
}

}  // namespace impd::s2s
