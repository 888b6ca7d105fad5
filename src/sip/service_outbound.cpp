// The outbound path of the SIP core: where a request goes (locator.h), which connection
// carries it (reused, or opened with fail-over), and the Via that brings its responses back
// (sip_service.h).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.h"
#include "codec/sip/headers.h"
#include "sip/sip_service.h"
#include "sip/via_stamp.h"

namespace impd::sip {

namespace asio = boost::asio;
using asio::awaitable;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string viaHost(const asio::ip::address& address) {
  return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

bool unspecified(std::string_view host) {
  auto address = dns::parseAddressLiteral(host);
  return !address || address->is_unspecified();
}
}  // namespace

void SipService::sendRequest(Message request, Target target, ResponseCallback callback) {
  if (!core_) {
    ClientOutcome outcome{ClientOutcome::Kind::kRefused, true, std::nullopt, {}, {}, "the SIP service is not running"};
    if (callback) callback(outcome);
    return;
  }
  // Queued behind whatever the caller already queued (a response to the request that caused
  // this one: a NOTIFY must not overtake the 200 to its SUBSCRIBE).
  onCore([this, request = std::move(request), target = std::move(target), callback = std::move(callback)]() mutable {
    asio::co_spawn(core_, startRequest(std::move(request), std::move(target), std::move(callback)), asio::detached);
  });
}

awaitable<void> SipService::startRequest(Message request, Target target, ResponseCallback callback) {
  auto fail = [&callback](ClientOutcome::Kind kind, std::string detail, Destination where) {
    ClientOutcome outcome{kind, true, std::nullopt, {}, std::move(where), std::move(detail)};
    if (callback) callback(outcome);
  };
  if (stopping_) co_return fail(ClientOutcome::Kind::kRefused, "the SIP service is shutting down", {});
  if (!request.isRequest() || request.method() == "ACK") {
    co_return fail(ClientOutcome::Kind::kRefused, "not a request that starts a transaction", {});
  }
  std::optional<Destination> to;
  if (const auto* domain = std::get_if<std::string>(&target)) {
    const config::SipFederatedDomain* fed = policy_.federatedDomain(*domain);
    if (!fed) co_return fail(ClientOutcome::Kind::kRefused, *domain + " is not a federated SIP domain", {});
    to = co_await route(fed->domain, fed->route);
    if (!to) co_return fail(ClientOutcome::Kind::kNoRoute, "no server of " + fed->domain + " answered", {});
  } else {
    const Destination& wanted = std::get<Destination>(target);
    to = co_await reachDirect(wanted);
    if (!to) co_return fail(ClientOutcome::Kind::kTransportError, "cannot reach " + wanted.host, wanted);
  }
  if (stopping_) co_return fail(ClientOutcome::Kind::kRefused, "the SIP service is shutting down", *to);
  if (auto ready = prepare(request, *to); !ready) {
    co_return fail(ClientOutcome::Kind::kRefused, ready.error().message, *to);
  }
  auto key = layer_.sendRequest(request, *to);
  if (!key) co_return fail(ClientOutcome::Kind::kRefused, key.error().message, *to);
  pending_[*key] = Pending{std::move(callback), *to, request.method() == "INVITE"};
  kick();
}

void SipService::sendStateless(Message message, Destination to) {
  if (!core_) return;
  onCore([this, message = std::move(message), to = std::move(to)]() mutable {
    asio::co_spawn(core_, startStateless(std::move(message), std::move(to)), asio::detached);
  });
}

awaitable<void> SipService::startStateless(Message message, Destination to) {
  auto where = co_await reachDirect(to);
  if (!where || stopping_) {
    logger("sip")->info("{} to {}:{} not sent: no connection", message.isRequest() ? message.method() : "response",
                        to.host, to.port);
    co_return;
  }
  if (message.isRequest()) {
    if (auto ready = prepare(message, *where); !ready) co_return;
  }
  layer_.sendStateless(message, *where);
}

awaitable<std::optional<Destination>> SipService::route(std::string domain, std::optional<config::SipAddress> via) {
  auto hops = co_await locate(*resolver_, random_, domain, via);
  if (hops.empty()) {
    logger("sip")->info("{}: DNS says the domain offers no SIP federation service", domain);
    co_return std::nullopt;
  }
  for (const auto& hop : hops) {
    if (hop.transport == TransportKind::Udp) continue;
    if (auto connection = connections_.findTarget(hop)) co_return connection->destination();
  }
  if (auto connection = connections_.findCertified(domain)) co_return connection->destination();
  co_return co_await firstAnswering<Destination>(*resolver_, std::move(hops), attemptFor(domain));
}

awaitable<std::optional<Destination>> SipService::reachDirect(Destination to) {
  if (to.kind == TransportKind::Udp) {
    UdpTransport* udp = udpFor(to);
    if (!udp || !dns::parseAddressLiteral(to.host)) co_return std::nullopt;
    to.connection = udp->id();
    co_return to;
  }
  if (to.connection != 0) {
    auto connection = connections_.find(to.connection);
    co_return connection ? std::optional<Destination>(connection->destination()) : std::nullopt;
  }
  // A place without a connection: open one, certified for the host itself.
  std::vector<Hop> hops(1);
  hops[0].transport = to.kind;
  hops[0].host = to.host;
  hops[0].port = to.port;
  if (auto connection = connections_.findTarget(hops[0])) co_return connection->destination();
  co_return co_await firstAnswering<Destination>(*resolver_, std::move(hops), attemptFor(to.host));
}

// Not written inside the coroutines that use it: g++ 12 miscompiles lambdas with captures
// built in a coroutine body.
Attempt<Destination> SipService::attemptFor(std::string domain) {
  return [this, domain](Hop hop, asio::ip::address address) { return reach(domain, std::move(hop), address); };
}

awaitable<std::optional<Destination>> SipService::reach(std::string domain, Hop hop, asio::ip::address address) {
  if (hop.transport == TransportKind::Udp) {
    // Named, not a temporary inside the co_await: g++ 12 destroys such a temporary twice.
    Destination direct{TransportKind::Udp, address.to_string(), hop.port, 0};
    co_return co_await reachDirect(std::move(direct));
  }
  // One opening per target at a time: a request that comes meanwhile waits and reuses it.
  while (connecting_.contains(hop)) {
    asio::steady_timer wake(core_, TimePoint::max());
    connectWaiters_.push_back(&wake);
    co_await wake.async_wait(kNoThrow);
    std::erase(connectWaiters_, &wake);
  }
  if (auto connection = connections_.findTarget(hop)) co_return connection->destination();
  if (stopping_) co_return std::nullopt;
  connecting_.insert(hop);
  asio::io_context& home = pool_->next();
  auto connection = co_await asio::co_spawn(
      home, StreamConnection::open(static_cast<TransportOwner&>(*this), home, hop, address, domain, nextId_++), asio::use_awaitable);
  connecting_.erase(hop);
  for (auto* waiter : connectWaiters_) waiter->cancel();
  if (!connection) co_return std::nullopt;
  connections_.add(connection, hop);
  asio::co_spawn(home, [connection] { return connection->run(); }, asio::detached);
  if (stopping_) connection->close();
  co_return connection->destination();
}

std::optional<asio::ip::address> SipService::sourceAddress(TransportKind kind) const {
  auto host = listenHosts_.find(kind);
  if (host == listenHosts_.end()) return std::nullopt;
  auto address = dns::parseAddressLiteral(host->second);
  if (!address || address->is_unspecified()) return std::nullopt;
  return *address;
}

void SipService::transmit(const Message& message, const Destination& to) {
  logMessage("->", message, to);
  std::string bytes = serialize(message);
  if (to.kind == TransportKind::Udp) {
    std::string host = to.host;
    std::uint16_t port = to.port;
    // A response follows the Via we stamped (received/rport, RFC 3581), not the request's
    // TransportRef alone: without rport RFC 3261 §18.2.2 answers to the sent-by port.
    if (message.isResponse()) {
      if (auto target = udpResponseTarget(message); target && dns::parseAddressLiteral(target->host)) {
        host = target->host;
        port = target->port;
      }
    }
    UdpTransport* udp = udpFor(to);
    auto address = dns::parseAddressLiteral(host);
    if (!udp || !address) {
      failLater(to);
      return;
    }
    udp->sendTo(std::move(bytes), asio::ip::udp::endpoint(*address, port));
    return;
  }
  auto connection = connections_.find(to.connection);
  if (!connection) {
    // RFC 3261 §18.2.2 would open a new connection for a response; our peers keep theirs
    // open while they wait, so a closed one means the peer is gone.
    failLater(to);
    return;
  }
  connection->send(std::move(bytes));
}

UdpTransport* SipService::udpFor(const Destination& to) {
  for (auto& udp : udp_) {
    if (to.connection != 0 && udp->id() == to.connection) return udp.get();
  }
  const auto address = dns::parseAddressLiteral(to.host);
  for (auto& udp : udp_) {
    if (!address || udp->local().address().is_v6() == address->is_v6()) return udp.get();
  }
  return nullptr;
}

Result<void> SipService::prepare(Message& request, const Destination& to) {
  if (!request.has("Max-Forwards")) request.set("Max-Forwards", "70");
  if (request.has("Via")) return {};
  std::string host;
  std::uint16_t port = 0;
  if (to.kind == TransportKind::Udp) {
    UdpTransport* udp = udpFor(to);
    if (!udp) return makeError("no-transport", "no UDP listener to send from");
    host = viaHost(udp->local().address());
    port = udp->local().port();
  } else {
    auto connection = connections_.find(to.connection);
    if (!connection) return makeError("no-transport", "the connection closed");
    // Our listener for this transport, where a peer may reconnect for responses (§18.2.2);
    // else the connection's own address.
    auto listenHost = listenHosts_.find(to.kind);
    const bool listening = listenHost != listenHosts_.end() && !unspecified(listenHost->second);
    host = listening ? viaHost(*dns::parseAddressLiteral(listenHost->second))
                     : viaHost(connection->localEndpoint().address());
    port = listening ? listenPorts_.at(to.kind) : connection->localEndpoint().port();
  }
  Via via(std::string(transportName(to.kind)), host, port);
  via.setParam("branch", newBranch(random_));
  if (to.kind == TransportKind::Udp) via.setFlag("rport");  // RFC 3581: answer where we sent from
  // RFC 5923: we take requests on connections we opened, under the same admission rules.
  if (to.kind == TransportKind::Tls) via.setFlag("alias");
  request.prepend("Via", via.str());
  return {};
}

}  // namespace impd::sip
