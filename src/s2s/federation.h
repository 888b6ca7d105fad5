#pragma once
// XMPP server-to-server federation (RFC 6120): the listeners for inbound streams, one
// outbound stream per (local domain, remote domain) created on first use, the federation
// policy, and the glue that lets an inbound stream's dialback check ride on an outbound one.
// The IM service sees it only as an im::RemoteGateway.
#include <boost/asio/io_context.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "dns/resolver.h"
#include "im/context.h"
#include "im/service.h"
#include "net/address_guard.h"
#include "net/io_pool.h"
#include "net/listener.h"
#include "net/tls.h"
#include "s2s/context.h"

namespace impd::s2s {

class InboundConnection;
class OutboundConnection;

class Federation final : public im::RemoteGateway {
 public:
  // One resolver per I/O context (c-ares channels are single-threaded).
  using ResolverFactory = std::function<Result<std::unique_ptr<dns::Resolver>>(boost::asio::io_context&)>;

  // Builds the TLS contexts and settings; the dialback secret is drawn at random when the
  // configuration has none (fine for one node, wrong for a cluster: a warning says so).
  static Result<std::unique_ptr<Federation>> create(const config::Config& config, const net::TlsFiles& tls,
                                                    Clock& clock, Random& random, ResolverFactory resolvers);
  ~Federation() override;

  // Binds the listeners and makes the resolvers; call before the pool's threads run.
  Result<void> start(net::IoPool& pool, im::Service& service);
  // Shutdown: no new streams; open ones end with system-shutdown.
  void stop();
  // After the pool's threads have stopped and before its contexts go: drops what is bound to
  // them (resolvers, connections).
  void release();

  // SIGHUP: takes the federation policy (policy, allow, deny) of a newly loaded configuration.
  // Streams with domains it now refuses carry nothing more; new ones are refused.
  void reload(const config::Config& config) { ctx_.policy.reload(config); }

  // im::RemoteGateway (any thread)
  bool permits(std::string_view domain) const override;
  void send(std::string_view localDomain, std::string_view remoteDomain, xml::Element stanza) override;

  // For connections (any thread).
  Context& context() { return ctx_; }
  im::Service& service() { return *service_; }
  dns::Resolver& resolverFor(const boost::asio::io_context& io);
  // Asks the Authoritative Server of check.peer over our outbound stream to it; `done` runs
  // on the outbound stream's thread.
  void checkDialback(DialbackCheck check, std::function<void(DialbackOutcome)> done);
  void outboundEnded(const OutboundConnection* connection, const std::string& local, const std::string& remote);
  void inboundEnded(const InboundConnection* connection, const std::string& address);
  // A peer that hangs up instead of answering SASL EXTERNAL gets dialback only (for this run).
  void markExternalBroken(const std::string& remote);

 private:
  Federation(Context ctx, std::vector<config::ListenAddress> listen, ResolverFactory resolvers);
  std::shared_ptr<OutboundConnection> outboundFor(std::string_view local, std::string_view remote);
  void accept(boost::asio::ip::tcp::socket socket, boost::asio::io_context& home);

  Context ctx_;
  std::vector<config::ListenAddress> listen_;
  ResolverFactory makeResolver_;
  net::IoPool* pool_ = nullptr;
  im::Service* service_ = nullptr;
  std::vector<std::pair<const boost::asio::io_context*, std::unique_ptr<dns::Resolver>>> resolvers_;
  std::vector<std::unique_ptr<net::Listener>> listeners_;
  // Per-address admission, as on the client port: a peer opens a few streams (one per domain
  // pair and direction), never hundreds, and never hundreds per second.
  net::AddressGuard guard_;

  std::mutex mutex_;
  bool stopping_ = false;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<OutboundConnection>> outbound_;
  std::map<const InboundConnection*, std::weak_ptr<InboundConnection>> inbound_;
  std::set<std::string> externalBroken_;
};

}  // namespace impd::s2s
