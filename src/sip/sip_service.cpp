// The SIP core: construction, start and drain, the API's hop onto the core, the transaction
// timer and the client side of the TransactionHost (sip_service.h).
#include "sip/sip_service.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.h"
#include "sip/responses.h"

namespace impd::sip {

namespace asio = boost::asio;
using asio::awaitable;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// Peers open a few connections, never hundreds; datagrams come faster (retransmissions,
// NOTIFY bursts) but a flood from one address must not starve the core.
constexpr net::AddressGuard::Limits kStreamLimits{.maxConnections = 100, .connectsPerSecond = 20,
                                                  .authFailuresPerMinute = 30};
constexpr net::AddressGuard::Limits kDatagramLimits{.maxConnections = 1000, .connectsPerSecond = 500,
                                                    .authFailuresPerMinute = 30};

std::string firstLine(const Message& m) {
  return m.isRequest() ? m.method() + " " + m.requestUri() : std::to_string(m.status()) + " " + m.reason();
}
}  // namespace

std::string_view transportName(TransportKind kind) {
  switch (kind) {
    case TransportKind::Udp:
      return "UDP";
    case TransportKind::Tcp:
      return "TCP";
    case TransportKind::Tls:
      return "TLS";
  }
  return "UDP";
}

Result<std::unique_ptr<SipService>> SipService::create(const config::Config& config, const net::TlsFiles& tls,
                                                       Clock& clock, Random& random, ResolverFactory resolvers,
                                                       ServiceOptions options) {
  std::string needs = "outbound SIP federation (TLS)";
  for (const auto& address : config.sip.listen) {
    if (address.transport == config::SipTransport::kTls) needs = "the SIP listener " + config::toString(address);
  }
  auto serverTls = net::makeServerToServerContext(tls);
  if (!serverTls) return makeError("tls", needs + " cannot use the [tls] certificate: " + serverTls.error().message);
  auto clientTls = net::makeClientContext(tls);
  if (!clientTls) return makeError("tls", needs + " cannot use the [tls] certificate: " + clientTls.error().message);
  std::unique_ptr<SipService> service(new SipService(config, clock, random, std::move(resolvers), std::move(options)));
  service->serverTls_ = std::move(*serverTls);
  service->clientTls_ = std::move(*clientTls);
  return service;
}

SipService::SipService(const config::Config& config, Clock& clock, Random& random, ResolverFactory resolvers,
                       ServiceOptions options)
    : clock_(clock),
      random_(random),
      options_(std::move(options)),
      listen_(config.sip.listen),
      makeResolver_(std::move(resolvers)),
      layer_(*this, clock, options_.timers),
      streamGuard_(kStreamLimits, clock),
      datagramGuard_(kDatagramLimits, clock) {
  if (options_.publicHost.empty() && !config.server.domains.empty()) {
    options_.publicHost = config.server.domains.front();
  }
  policy_.localDomains = config.server.domains;
  policy_.localHosts.push_back(options_.publicHost);
  for (const auto& address : listen_) policy_.localHosts.push_back(address.host);
  policy_.federated = config.sip.federatedDomains;
  caps_.supported = options_.supported;
  for (const auto& fed : policy_.federated) {
    // Literal routes are known at once; names are resolved by resolveRoutes().
    if (fed.route && dns::parseAddressLiteral(fed.route->host)) {
      routeAddresses_[normalizeHost(fed.domain)] = {dns::parseAddressLiteral(fed.route->host)->to_string()};
    }
  }
}

SipService::~SipService() = default;

Result<void> SipService::start(net::IoPool& pool) {
  pool_ = &pool;
  core_ = asio::make_strand(pool.at(0));
  timer_ = std::make_unique<asio::steady_timer>(core_);
  auto resolver = makeResolver_(pool.at(0));
  if (!resolver) return resolver.error();
  resolver_ = std::move(*resolver);
  for (const auto& address : listen_) {
    const TransportKind kind = transportOf(address.transport);
    if (kind == TransportKind::Udp) {
      auto udp = std::make_unique<UdpTransport>(
          core_, nextId_++, [this](std::uint64_t id, std::string_view bytes, const asio::ip::udp::endpoint& from) {
            datagram(id, bytes, from);
          });
      if (auto opened = udp->open(address.host, address.port); !opened) return opened;
      udp_.push_back(std::move(udp));
    } else {
      auto listener = std::make_unique<net::Listener>(
          pool, "sip", [this, kind](asio::ip::tcp::socket s, asio::io_context& home) { accept(std::move(s), home, kind); });
      if (auto started = listener->start(address.host, address.port); !started) return started;
      listeners_.push_back(std::move(listener));
    }
    listenPorts_.try_emplace(kind, address.port);
    listenHosts_.try_emplace(kind, address.host);
    logger("sip")->info("listening on {}", config::toString(address));
  }
  for (auto& udp : udp_) udp->start();
  asio::co_spawn(core_, [this] { return timerLoop(); }, asio::detached);
  asio::co_spawn(core_, [this] { return resolveRoutes(); }, asio::detached);
  return {};
}

void SipService::stop() {
  stopping_ = true;
  for (auto& listener : listeners_) listener->stop();
  if (!core_) return;
  asio::post(core_, [this] {
    for (auto& udp : udp_) udp->close();
    for (auto& connection : connections_.all()) connection->close();
    // Nothing more will answer: every waiting caller hears so now.
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& [key, p] : pending) {
      if (p.answered || !p.callback) continue;
      ClientOutcome outcome;
      outcome.kind = ClientOutcome::Kind::kRefused;
      outcome.key = key;
      outcome.destination = p.destination;
      outcome.detail = "the SIP service is shutting down";
      p.callback(outcome);
    }
    if (timer_) timer_->cancel();
  });
}

void SipService::release() {
  connections_.clear();
  pending_.clear();
  udp_.clear();
  listeners_.clear();
  timer_.reset();
  resolver_.reset();
  // The strand's implementation lives in its io_context: our copy must go before the context.
  core_ = {};
  handler_ = nullptr;
  cancelHandler_ = nullptr;
  strayHandler_ = nullptr;
  serverTimeoutHandler_ = nullptr;
  dialogCheck_ = nullptr;
}

void SipService::onCore(std::function<void()> work) {
  if (!core_) {
    work();  // not started: no other thread runs yet
    return;
  }
  asio::post(core_, std::move(work));
}

void SipService::setRequestHandler(RequestHandler handler, std::vector<std::string> methods) {
  onCore([this, handler = std::move(handler), methods = std::move(methods)] {
    handler_ = handler;
    caps_.handled = handler ? methods : std::vector<std::string>{};
  });
}

void SipService::setCancelHandler(CancelHandler handler) {
  onCore([this, handler = std::move(handler)] { cancelHandler_ = handler; });
}

void SipService::setStrayResponseHandler(StrayHandler handler) {
  onCore([this, handler = std::move(handler)] { strayHandler_ = handler; });
}

void SipService::setServerTimeoutHandler(ServerTimeoutHandler handler) {
  onCore([this, handler = std::move(handler)] { serverTimeoutHandler_ = handler; });
}

void SipService::setDialogCheck(DialogCheck check) {
  onCore([this, check = std::move(check)] { dialogCheck_ = check; });
}

void SipService::respond(Message response) {
  onCore([this, response = std::move(response)] {
    if (auto sent = layer_.respond(response); !sent) {
      logger("sip")->debug("response {} not sent: {}", firstLine(response), sent.error().message);
    }
    kick();
  });
}

awaitable<ClientOutcome> SipService::request(Message request, Target target) {
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(ClientOutcome)>(
      [this](auto handler, Message m, Target t) {
        using Handler = decltype(handler);
        struct Once {
          Handler handler;
          bool done = false;
        };
        auto once = std::make_shared<Once>(Once{std::move(handler)});
        sendRequest(std::move(m), std::move(t), [once](const ClientOutcome& outcome) {
          if (!outcome.final || once->done) return;
          once->done = true;
          auto executor = asio::get_associated_executor(once->handler);
          asio::post(executor, [once, outcome]() mutable { std::move(once->handler)(outcome); });
        });
      },
      asio::use_awaitable, std::move(request), std::move(target));
}

Message SipService::makeResponseTo(const Message& request, int status) const {
  return makeResponse(request, status, random_.token(8));
}

std::string SipService::contact(TransportKind transport, std::string_view user) const {
  std::string uri = "sip:";
  if (!user.empty()) uri += std::string(user) + "@";
  uri += options_.publicHost;
  const std::uint16_t standard = transport == TransportKind::Tls ? 5061 : 5060;
  if (auto it = listenPorts_.find(transport); it != listenPorts_.end() && it->second != standard) {
    uri += ":" + std::to_string(it->second);
  }
  if (transport == TransportKind::Tls) uri += ";transport=tls";
  if (transport == TransportKind::Tcp) uri += ";transport=tcp";
  return "<" + uri + ">";
}

std::string SipService::recordRoute(TransportKind transport) const {
  std::string value = contact(transport);
  value.insert(value.size() - 1, ";lr");
  return value;
}

// --- the transaction timer ---

void SipService::kick() {
  if (!timer_) return;
  if (auto next = layer_.nextDeadline(); next && *next < armed_) timer_->cancel();
}

awaitable<void> SipService::timerLoop() {
  while (!stopping_) {
    armed_ = layer_.nextDeadline().value_or(TimePoint::max());
    timer_->expires_at(armed_);
    co_await timer_->async_wait(kNoThrow);  // woken early by kick() when a sooner deadline came
    if (stopping_) break;
    layer_.onTimer(clock_.now());
    sweepPending();
  }
}

void SipService::sweepPending() {
  std::erase_if(pending_, [this](const auto& entry) {
    if (!entry.second.answered) return false;
    const auto state = layer_.state(entry.first);
    return !state || *state == TransactionState::Terminated;
  });
}

void SipService::failLater(const Destination& to) {
  // Not from inside transmit(): the layer is mid-call, and the failure ends the transaction.
  asio::post(core_, [this, to] {
    layer_.transportFailed(to);
    kick();
  });
}

void SipService::logMessage(std::string_view direction, const Message& message, const Destination& peer) const {
  auto log = logger("sip");
  if (!log->should_log(spdlog::level::debug)) return;
  log->debug("{} {} {}:{} #{}: {}", direction, transportName(peer.kind), peer.host, peer.port, peer.connection,
             firstLine(message));
}

// --- client transactions (TransactionHost) ---

void SipService::deliverResponse(const Message& response, const TransactionKey& key) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  ClientOutcome outcome;
  outcome.final = response.status() >= 200;
  outcome.response = response;
  outcome.key = key;
  outcome.destination = it->second.destination;
  ResponseCallback callback = it->second.callback;
  if (outcome.final) {
    if (it->second.invite && response.status() < 300) {
      it->second.answered = true;  // 2xx retransmissions still come here, to be ACKed again
    } else {
      pending_.erase(it);
    }
  }
  if (callback) callback(outcome);
}

void SipService::deliverStray(const Message& response, const TransportRef& from) {
  if (strayHandler_) {
    strayHandler_(response, from);
    return;
  }
  logger("sip")->debug("stray response {} from {}:{}", firstLine(response), from.host, from.port);
}

void SipService::timedOut(const TransactionKey& key, const Message& request) {
  auto it = pending_.find(key);
  if (it == pending_.end()) {
    logger("sip")->debug("server transaction {} {} ended without its ACK or answer", request.method(),
                         request.requestUri());
    if (serverTimeoutHandler_) serverTimeoutHandler_(key, request);
    return;
  }
  ClientOutcome outcome{ClientOutcome::Kind::kTimeout, true, std::nullopt, key, it->second.destination,
                        "no final response to " + request.method()};
  ResponseCallback callback = std::move(it->second.callback);
  pending_.erase(it);
  if (callback) callback(outcome);
}

void SipService::transportError(const TransactionKey& key, const Message& request) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  ClientOutcome outcome{ClientOutcome::Kind::kTransportError, true, std::nullopt, key, it->second.destination,
                        "the connection for " + request.method() + " failed"};
  ResponseCallback callback = std::move(it->second.callback);
  pending_.erase(it);
  if (callback) callback(outcome);
}

}  // namespace impd::sip
