#pragma once
// The SIP runtime: transports on every [sip] listen address, the transaction layer bound to
// them, admission of inbound requests (admission.h), location of federated domains
// (locator.h), and the API the layer above (the SIP⇄XMPP gateway) builds on.
//
// Threading: every bit of SIP state (the transaction layer, its timer, the connection table,
// pending requests) lives on one strand, the core. Connections run on any I/O thread of the
// pool and hop onto the core with each message. Every public method may be called from any
// thread; handlers and callbacks run on the core (executor()).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "codec/sip/transaction_layer.h"
#include "config/config.h"
#include "dns/resolver.h"
#include "net/address_guard.h"
#include "net/io_pool.h"
#include "net/listener.h"
#include "net/tls.h"
#include "sip/admission.h"
#include "sip/capabilities.h"
#include "sip/connection_table.h"
#include "sip/service_types.h"
#include "sip/udp_transport.h"

namespace impd::sip {

class SipService final : private TransactionHost, private TransportOwner {
 public:
  using ResolverFactory = std::function<Result<std::unique_ptr<dns::Resolver>>(boost::asio::io_context&)>;

  // Builds the TLS contexts (our certificate in both roles, [tls] ca_file as trust anchors).
  // Fails when they cannot be made, naming the TLS listener that needs them.
  static Result<std::unique_ptr<SipService>> create(const config::Config& config, const net::TlsFiles& tls,
                                                    Clock& clock, Random& random, ResolverFactory resolvers,
                                                    ServiceOptions options = {});
  ~SipService() override;

  // Binds every listener and starts the core; call before the pool's threads run.
  Result<void> start(net::IoPool& pool);
  // Drain: no new connections or datagrams; open connections close after their last writes.
  void stop();
  // After the pool's threads stopped, before its contexts go: drops what is bound to them.
  void release();

  // --- for the layer above (any thread; see service_types.h) ---
  // Admitted requests of `methods` go to `handler`; it answers through respond(). The other
  // methods are answered here (OPTIONS 200, 405, 501), CANCEL included (200 or 481).
  void setRequestHandler(RequestHandler handler, std::vector<std::string> methods = kGatewayMethods);
  // A CANCEL matched an INVITE server transaction: the handler answers that INVITE 487.
  void setCancelHandler(CancelHandler handler);
  // Responses no client transaction claims: 2xx retransmissions to re-ACK (RFC 3261 §13.2.2.4).
  void setStrayResponseHandler(StrayHandler handler);
  // A server transaction ended without the ACK (Timer H) or unanswered.
  void setServerTimeoutHandler(ServerTimeoutHandler handler);
  // Whether an in-dialog request (To tag) belongs to a dialog the layer above accepted; such
  // requests skip admission (their dialog identifiers authenticate them).
  void setDialogCheck(DialogCheck check);

  void respond(Message response);
  // Starts a client transaction. To a domain: located (static route, SRV, A/AAAA) and sent on
  // a reused or new connection; to a Destination: there (a connection it names must still be
  // open). Without a Via we add ours (sent-by, transport, fresh branch; rport on UDP); a
  // request that has one keeps it (a CANCEL must repeat its INVITE's). Max-Forwards 70 when
  // absent. `callback` gets each provisional response and the final outcome.
  void sendRequest(Message request, Target target, ResponseCallback callback);
  // The same, waiting for the final outcome only.
  boost::asio::awaitable<ClientOutcome> request(Message request, Target target);
  // Outside any transaction (the ACK of a 2xx): Via and Max-Forwards as above.
  void sendStateless(Message message, Destination to);

  // A response to `request` with a fresh To tag (for handlers).
  Message makeResponseTo(const Message& request, int status) const;
  // Our URI for Record-Route (with lr) and Contact: host = ServiceOptions::publicHost (else
  // the first local domain), the port and transport of our listener for `transport`.
  std::string recordRoute(TransportKind transport) const;
  std::string contact(TransportKind transport, std::string_view user = {}) const;
  boost::asio::any_io_executor executor() { return core_; }

 private:
  SipService(const config::Config& config, Clock& clock, Random& random, ResolverFactory resolvers,
             ServiceOptions options);
  struct Pending {
    ResponseCallback callback;
    Destination destination;
    bool invite = false;
    bool answered = false;  // a 2xx to INVITE came; kept for its retransmissions
  };

  // TransactionHost (core)
  void transmit(const Message& message, const Destination& to) override;
  void deliverRequest(const Message& request, const TransportRef& from, const TransactionKey& key) override;
  void deliverResponse(const Message& response, const TransactionKey& key) override;
  void deliverStray(const Message& response, const TransportRef& from) override;
  void timedOut(const TransactionKey& key, const Message& request) override;
  void transportError(const TransactionKey& key, const Message& request) override;

  // TransportOwner
  boost::asio::any_io_executor coreExecutor() override { return core_; }
  boost::asio::ssl::context& serverTls() override { return *serverTls_; }
  boost::asio::ssl::context& clientTls() override { return *clientTls_; }
  Clock& clock() override { return clock_; }
  Random& random() override { return random_; }
  const Limits& limits() const override { return limits_; }
  std::optional<boost::asio::ip::address> sourceAddress(TransportKind kind) const override;
  void connectionUp(std::shared_ptr<StreamConnection> connection) override;
  void messageArrived(std::uint64_t connection, Message message) override;
  void connectionDown(std::uint64_t connection, bool inbound, std::string address) override;

  // Inbound (service_inbound.cpp)
  void accept(boost::asio::ip::tcp::socket socket, boost::asio::io_context& home, TransportKind kind);
  void datagram(std::uint64_t udp, std::string_view bytes, const boost::asio::ip::udp::endpoint& from);
  void receive(Message message, const TransportRef& from);
  void answer(const Message& request, int status, std::string_view warning = {});
  void dispatch(const Message& request, const TransportRef& from, const TransactionKey& key,
                const Verdict& verdict);
  void cancel(const Message& request, const TransportRef& from, const TransactionKey& key);
  std::vector<std::string> routeAddresses(std::string_view domain) const;
  boost::asio::awaitable<void> resolveRoutes();

  // Outbound (service_outbound.cpp)
  boost::asio::awaitable<void> startRequest(Message request, Target target, ResponseCallback callback);
  boost::asio::awaitable<std::optional<Destination>> route(std::string domain,
                                                           std::optional<config::SipAddress> via);
  boost::asio::awaitable<std::optional<Destination>> reach(std::string domain, Hop hop,
                                                           boost::asio::ip::address address);
  boost::asio::awaitable<std::optional<Destination>> reachDirect(Destination to);
  boost::asio::awaitable<void> startStateless(Message message, Destination to);
  Attempt<Destination> attemptFor(std::string domain);
  Result<void> prepare(Message& request, const Destination& to);
  UdpTransport* udpFor(const Destination& to);

  // Core plumbing (sip_service.cpp)
  void onCore(std::function<void()> work);
  void kick();  // re-arms the timer after the layer's deadlines changed
  boost::asio::awaitable<void> timerLoop();
  void sweepPending();
  void failLater(const Destination& to);
  void logMessage(std::string_view direction, const Message& message, const Destination& peer) const;

  Clock& clock_;
  Random& random_;
  ServiceOptions options_;
  Limits limits_;
  std::vector<config::SipAddress> listen_;
  AdmissionPolicy policy_;
  Capabilities caps_;
  std::shared_ptr<boost::asio::ssl::context> serverTls_, clientTls_;
  ResolverFactory makeResolver_;
  std::unique_ptr<dns::Resolver> resolver_;
  net::IoPool* pool_ = nullptr;
  boost::asio::any_io_executor core_;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  TimePoint armed_ = TimePoint::max();
  TransactionLayer layer_;
  ConnectionTable connections_;
  std::vector<std::unique_ptr<UdpTransport>> udp_;
  std::vector<std::unique_ptr<net::Listener>> listeners_;
  std::map<TransportKind, std::uint16_t> listenPorts_;
  std::map<TransportKind, std::string> listenHosts_;
  net::AddressGuard streamGuard_, datagramGuard_;
  std::atomic<std::uint64_t> nextId_{1};
  std::atomic<bool> stopping_{false};
  std::map<std::string, std::vector<std::string>> routeAddresses_;
  std::unordered_map<TransactionKey, Pending, TransactionKeyHash> pending_;
  std::set<Hop> connecting_;  // outbound connections being opened, so a second request waits
  std::vector<boost::asio::steady_timer*> connectWaiters_;

  RequestHandler handler_;
  CancelHandler cancelHandler_;
  StrayHandler strayHandler_;
  ServerTimeoutHandler serverTimeoutHandler_;
  DialogCheck dialogCheck_;
};

}  // namespace impd::sip
