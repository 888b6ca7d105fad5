// The inbound path of the SIP core: connections and datagrams arrive, Via is stamped, the
// transaction layer matches, admission decides, and the request goes to the handler or is
// answered here (sip_service.h).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.h"
#include "codec/sip/headers.h"
#include "sip/responses.h"
#include "sip/sip_service.h"
#include "sip/via_stamp.h"

namespace impd::sip {

namespace asio = boost::asio;

namespace {
// Names in static routes are looked up again this often (an edge may move).
constexpr std::chrono::minutes kRouteRefresh{5};

bool hasToTag(const Message& request) {
  const auto to = request.get("To");
  auto parsed = to ? NameAddr::parse(*to) : Result<NameAddr>(makeError("bad-request"));
  return parsed && !parsed->tag().empty();
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}
}  // namespace

void SipService::accept(asio::ip::tcp::socket socket, asio::io_context& home, TransportKind kind) {
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  const std::string address = ec ? std::string() : peer.address().to_string();
  if (ec || stopping_ || !streamGuard_.admit(address)) {
    logger("sip")->info("{}: connection refused ({})", address, stopping_ ? "shutting down" : "admission limits");
    socket.close(ec);
    return;
  }
  auto connection = std::make_shared<StreamConnection>(static_cast<TransportOwner&>(*this), home, std::move(socket), kind, false, nextId_++);
  asio::co_spawn(home, [connection] { return connection->serve(); }, asio::detached);
}

void SipService::connectionUp(std::shared_ptr<StreamConnection> connection) {
  logger("sip")->debug("{}: up", connection->label());
  if (stopping_) connection->close();
  connections_.add(std::move(connection), std::nullopt);
}

void SipService::connectionDown(std::uint64_t id, bool inbound, std::string address) {
  if (inbound) streamGuard_.release(address);
  auto connection = connections_.remove(id);
  if (!connection) return;
  logger("sip")->debug("{}: closed", connection->label());
  layer_.transportFailed(connection->destination());
  kick();
}

void SipService::messageArrived(std::uint64_t id, Message message) {
  auto connection = connections_.find(id);
  if (!connection || stopping_) return;
  receive(std::move(message), connection->destination());
}

void SipService::datagram(std::uint64_t udp, std::string_view bytes, const asio::ip::udp::endpoint& from) {
  if (stopping_ || isKeepAlive(bytes)) return;  // CRLF over UDP: nothing to answer
  const std::string address = from.address().to_string();
  if (!datagramGuard_.admit(address)) {
    logger("sip")->debug("{}: datagram dropped by admission limits", address);
    return;
  }
  datagramGuard_.release(address);
  const TransportRef ref{TransportKind::Udp, address, from.port(), udp};
  auto message = parse(bytes, limits_);
  if (message) {
    receive(std::move(*message), ref);
    return;
  }
  logger("sip")->info("{}:{}: malformed datagram: {}", address, from.port(), message.error().message);
  auto answer = badRequestFor(bytes, message.error().message, random_.token(8));
  if (!answer) return;
  (void)stampTopVia(*answer, address, from.port());
  logMessage("->", *answer, ref);
  if (UdpTransport* socket = udpFor(ref)) socket->sendTo(serialize(*answer), from);
}

void SipService::receive(Message message, const TransportRef& from) {
  logMessage("<-", message, from);
  if (message.isRequest()) {
    if (auto stamped = stampTopVia(message, from.host, from.port); !stamped) {
      // Without a Via no response can find its way; RFC 3261 §18.2.1 drops such requests.
      logger("sip")->info("{}:{}: request without a usable Via dropped: {}", from.host, from.port,
                          stamped.error().message);
      return;
    }
  }
  if (auto matched = layer_.receive(message, from); !matched && message.isRequest() && message.method() != "ACK") {
    Message answer = makeResponseTo(message, 400);
    addWarning(answer, options_.publicHost, matched.error().message);
    logMessage("->", answer, from);
    transmit(answer, from);
  }
  kick();
}

void SipService::answer(const Message& request, int status, std::string_view warning) {
  Message response = makeResponseTo(request, status);
  if (!warning.empty()) addWarning(response, options_.publicHost, warning);
  if (status == 405 || status == 501) describeCapabilities(response, caps_);
  if (auto sent = layer_.respond(response); !sent) {
    logger("sip")->debug("{} to {} not sent: {}", status, request.method(), sent.error().message);
  }
}

void SipService::deliverRequest(const Message& request, const TransportRef& from, const TransactionKey& key) {
  if (stopping_) {
    if (!key.empty()) answer(request, 503, "shutting down");
    return;
  }
  PeerCredentials peer{from.kind, from.host, nullptr};
  if (from.kind == TransportKind::Tls) {
    if (auto connection = connections_.find(from.connection)) peer.certificate = &connection->certificate();
  }
  const bool knownDialog = dialogCheck_ && hasToTag(request) && dialogCheck_(request);
  const Verdict verdict =
      admit(request, peer, policy_, [this](std::string_view d) { return routeAddresses(d); }, knownDialog);
  if (!verdict.admitted()) {
    logger("sip")->info("{} from {}:{} refused with {}: {}", request.method(), from.host, from.port, verdict.status,
                        verdict.warning);
    if (!key.empty()) answer(request, verdict.status, verdict.warning);
    return;
  }
  dispatch(request, from, key, verdict);
}

void SipService::dispatch(const Message& request, const TransportRef& from, const TransactionKey& key,
                          const Verdict& verdict) {
  if (request.method() == "CANCEL") {
    cancel(request, from, key);
    return;
  }
  switch (dispose(request, caps_)) {
    case Disposition::kAck:
      return;
    case Disposition::kHandler: {
      PeerInfo peer{from.kind, from.host, from.port, verdict.domain, from.kind == TransportKind::Tls};
      handler_(IncomingRequest{request, key, from, std::move(peer)});
      return;
    }
    case Disposition::kOptions: {
      Message ok = makeResponseTo(request, 200);
      describeCapabilities(ok, caps_);
      (void)layer_.respond(ok);
      return;
    }
    case Disposition::kMethodNotAllowed:
      answer(request, 405);
      return;
    case Disposition::kNotImplemented:
      answer(request, 501);
      return;
    case Disposition::kBadExtension: {
      Message refusal = makeResponseTo(request, 420);
      refusal.add("Unsupported", joined(unsupportedRequirements(request, caps_)));
      (void)layer_.respond(refusal);
      return;
    }
  }
}

void SipService::cancel(const Message& request, const TransportRef& from, const TransactionKey& key) {
  // RFC 3261 §9.2: the CANCEL is answered at once; the INVITE it names gets its 487 from
  // whoever owns that INVITE.
  const auto invite = layer_.cancelTarget(request);
  if (!invite) {
    answer(request, 481);
    return;
  }
  (void)layer_.respond(makeResponseTo(request, 200));
  if (cancelHandler_) cancelHandler_(*invite, request);
}

std::vector<std::string> SipService::routeAddresses(std::string_view domain) const {
  auto it = routeAddresses_.find(normalizeHost(domain));
  return it == routeAddresses_.end() ? std::vector<std::string>{} : it->second;
}

asio::awaitable<void> SipService::resolveRoutes() {
  bool names = false;
  for (const auto& fed : policy_.federated) names = names || (fed.route && !dns::parseAddressLiteral(fed.route->host));
  if (!names) co_return;
  asio::steady_timer wait(core_);
  while (!stopping_) {
    for (const auto& fed : policy_.federated) {
      if (!fed.route || dns::parseAddressLiteral(fed.route->host)) continue;
      auto found = co_await resolver_->addresses(fed.route->host);
      if (!found) {
        logger("sip")->warn("route of {}: {}: {}", fed.domain, fed.route->host, found.error().message);
        continue;
      }
      std::vector<std::string> addresses;
      for (const auto& a : *found) addresses.push_back(a.to_string());
      routeAddresses_[normalizeHost(fed.domain)] = std::move(addresses);
    }
    wait.expires_after(kRouteRefresh);
    co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace impd::sip
