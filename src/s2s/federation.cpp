#include "s2s/federation.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "base/log.h"
#include "codec/xmpp/dialback.h"
#include "s2s/inbound_connection.h"
#include "s2s/outbound_connection.h"

namespace impd::s2s {

namespace asio = boost::asio;

Result<std::unique_ptr<Federation>> Federation::create(const config::Config& config, const net::TlsFiles& tls,
                                                       Clock& clock, Random& random, ResolverFactory resolvers) {
  auto serverTls = net::makeServerToServerContext(tls);
  if (!serverTls) return serverTls.error();
  auto clientTls = net::makeClientContext(tls);
  if (!clientTls) return clientTls.error();
  StreamSettings settings{config.s2s.tls, config.s2s.saslExternal, config.s2s.dialback, config.s2s.dialbackSecret};
  if (settings.dialbackSecret.empty()) {
    settings.dialbackSecret = xmpp::randomDialbackSecret(random);
    if (config.s2s.dialback) {
      logger("s2s")->warn(
          "xmpp.s2s.dialback_secret is not set: using a random one. Fine for one node; every node of a "
          "cluster must share the same secret or dialback fails whenever a peer reaches another node");
    }
  }
  Context ctx{std::move(settings), Policy(config), config.s2s.routes, *serverTls, *clientTls, clock, random};
  return std::unique_ptr<Federation>(new Federation(std::move(ctx), config.s2s.listen, std::move(resolvers)));
}

namespace {
constexpr net::AddressGuard::Limits kPeerLimits{.maxConnections = 100, .connectsPerSecond = 20,
                                                .authFailuresPerMinute = 30};
}  // namespace

Federation::Federation(Context ctx, std::vector<config::ListenAddress> listen, ResolverFactory resolvers)
    : ctx_(std::move(ctx)),
      listen_(std::move(listen)),
      makeResolver_(std::move(resolvers)),
      guard_(kPeerLimits, ctx_.clock) {}

Federation::~Federation() = default;

Result<void> Federation::start(net::IoPool& pool, im::Service& service) {
  pool_ = &pool;
  service_ = &service;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    auto resolver = makeResolver_(pool.at(i));
    if (!resolver) return resolver.error();
    resolvers_.emplace_back(&pool.at(i), std::move(*resolver));
  }
  for (const auto& address : listen_) {
    auto listener = std::make_unique<net::Listener>(
        pool, "s2s", [this](asio::ip::tcp::socket s, asio::io_context& home) { accept(std::move(s), home); });
    if (auto started = listener->start(address.host, address.port); !started) return started;
    logger("s2s")->info("listening on {}:{}", address.host, address.port);
    listeners_.push_back(std::move(listener));
  }
  return {};
}

void Federation::stop() {
  for (auto& listener : listeners_) listener->stop();
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (auto& [key, out] : outbound_) out->postClose();
  for (auto& [key, weak] : inbound_) {
    if (auto in = weak.lock()) in->postClose("system-shutdown");
  }
}

void Federation::release() {
  std::lock_guard lock(mutex_);
  outbound_.clear();
  inbound_.clear();
  resolvers_.clear();
}

void Federation::accept(asio::ip::tcp::socket socket, asio::io_context& home) {
  boost::system::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  const std::string address = ec ? std::string() : peer.address().to_string();
  if (ec || !guard_.admit(address)) {
    logger("s2s")->info("{}: connection refused by admission limits", address);
    socket.close(ec);
    return;
  }
  auto connection = std::make_shared<InboundConnection>(*this, std::move(socket), home);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      guard_.release(address);
      return;
    }
    inbound_.emplace(connection.get(), connection);
  }
  asio::co_spawn(home, [connection] { return connection->run(); }, asio::detached);
}

void Federation::markExternalBroken(const std::string& remote) {
  std::lock_guard lock(mutex_);
  externalBroken_.insert(remote);
}

void Federation::inboundEnded(const InboundConnection* connection, const std::string& address) {
  guard_.release(address);
  std::lock_guard lock(mutex_);
  inbound_.erase(connection);
}

bool Federation::permits(std::string_view domain) const { return ctx_.policy.permits(domain); }

dns::Resolver& Federation::resolverFor(const asio::io_context& io) {
  for (auto& [context, resolver] : resolvers_) {
    if (context == &io) return *resolver;
  }
  return *resolvers_.front().second;  // not reached: every connection runs on a pool context
}

std::shared_ptr<OutboundConnection> Federation::outboundFor(std::string_view local, std::string_view remote) {
  std::lock_guard lock(mutex_);
  auto key = std::make_pair(std::string(local), std::string(remote));
  if (auto it = outbound_.find(key); it != outbound_.end()) return it->second;
  if (stopping_) return nullptr;
  asio::io_context& home = pool_->next();
  const bool external = !externalBroken_.contains(key.second);
  auto connection = std::make_shared<OutboundConnection>(*this, home, key.first, key.second, external);
  outbound_.emplace(std::move(key), connection);
  asio::co_spawn(home, [connection] { return connection->run(); }, asio::detached);
  return connection;
}

void Federation::send(std::string_view localDomain, std::string_view remoteDomain, xml::Element stanza) {
  if (auto out = outboundFor(localDomain, remoteDomain)) out->post(std::move(stanza));
}

void Federation::checkDialback(DialbackCheck check, std::function<void(DialbackOutcome)> done) {
  auto out = outboundFor(check.local, check.peer);
  if (!out) {
    done({"error", "remote-connection-failed"});
    return;
  }
  out->postVerify(std::move(check), std::move(done));
}

void Federation::outboundEnded(const OutboundConnection* connection, const std::string& local,
                               const std::string& remote) {
  std::lock_guard lock(mutex_);
  auto it = outbound_.find({local, remote});
  if (it != outbound_.end() && it->second.get() == connection) outbound_.erase(it);
}

}  // namespace impd::s2s
