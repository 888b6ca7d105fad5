#include "server/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "admin/admin_server.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/random.h"
#include "core/blocking_worker.h"
#include "core/registry.h"
#include "im/service.h"
#include "net/io_pool.h"
#include "net/tls.h"
#include "dns/cares_resolver.h"
#include "s2s/federation.h"
#include "server/remote_routes.h"
#include "server/version.h"
#include "sip_gateway/sip_gateway.h"
#include "sip/sip_service.h"
#include "storage/sqlite/sqlite_store.h"
#include "net/address_guard.h"
#include "xmpp/c2s_context.h"
#include "xmpp/c2s_listener.h"

namespace impd::server {

namespace asio = boost::asio;

namespace {
// Without a configured certificate the server makes (once) and uses a self-signed one.
Result<net::TlsFiles> tlsFiles(const config::Config& config) {
  net::TlsFiles files{config.tls.certificate, config.tls.key, config.tls.caFile};
  if (files.certificate.empty()) {
    files.certificate = config::selfSignedCertificatePath(config);
    files.key = config::selfSignedKeyPath(config);
    if (auto made = net::ensureSelfSigned(files.certificate, files.key, config.server.domains); !made) {
      return made.error();
    }
  }
  return files;
}

// c-ares per I/O thread, asking only [dns] servers when the configuration names any.
s2s::Federation::ResolverFactory resolverFactory(const config::Config& config) {
  dns::CaresResolver::Options options;
  for (const auto& server : config.dns.servers) {
    boost::system::error_code ec;
    auto ip = asio::ip::make_address(server.host, ec);
    if (!ec) options.servers.emplace_back(ip, server.port);
  }
  options.hostsFile = config.dns.servers.empty();
  return [options](asio::io_context& io) -> Result<std::unique_ptr<dns::Resolver>> {
    auto resolver = dns::CaresResolver::create(io, options);
    if (!resolver) return resolver.error();
    return std::unique_ptr<dns::Resolver>(std::move(*resolver));
  };
}

// SIGHUP: what can change without a restart. A file that does not load changes nothing.
void reload(const std::filesystem::path& file, s2s::Federation* federation) {
  auto log = logger("server");
  auto fresh = config::load(file);
  if (!fresh) {
    log->error("SIGHUP: keeping the running configuration: {}", fresh.error().message);
    return;
  }
  if (federation != nullptr) federation->reload(*fresh);
  log->info("SIGHUP: federation policy reloaded from {} (domains, listeners and certificates need a restart)",
            file.string());
}

// The availability mapping each federated domain gets ([[xmpp.s2s.peer]], [[sip.federated_domain]]).
std::map<std::string, im::PeerProfile, std::less<>> peerProfiles(const config::Config& config) {
  std::map<std::string, im::PeerProfile, std::less<>> profiles;
  for (const auto& peer : config.s2s.peers) {
    switch (peer.profile) {
      case config::XmppPeerProfile::kSametime: profiles[peer.domain] = im::PeerProfile::kSametime; break;
      case config::XmppPeerProfile::kWebex: profiles[peer.domain] = im::PeerProfile::kWebex; break;
      case config::XmppPeerProfile::kImpd: profiles[peer.domain] = im::PeerProfile::kImpd; break;
      case config::XmppPeerProfile::kGeneric: break;
    }
  }
  for (const auto& sip : config.sip.federatedDomains) {
    if (sip.profile == config::SipProfile::kLync) profiles[sip.domain] = im::PeerProfile::kLync;
    if (sip.profile == config::SipProfile::kOcs) profiles[sip.domain] = im::PeerProfile::kOcs;
  }
  return profiles;
}

Result<void> prepareDataDir(const config::Config& config) {
  if (config.storage.backend != "sqlite") {
    return makeError("storage", config.file.string() + ": storage.backend: \"" + config.storage.backend +
                                    "\" is not built yet; use \"sqlite\"");
  }
  std::error_code ec;
  std::filesystem::create_directories(config.server.dataDir, ec);
  if (ec) return makeError("data_dir", config.server.dataDir.string() + ": " + ec.message());
  return {};
}
}  // namespace

Result<void> checkDeployment(const config::Config& config) {
  if (auto dir = prepareDataDir(config); !dir) return dir;
  auto files = tlsFiles(config);
  if (!files) return files.error();
  auto ctx = net::makeServerContext(*files);
  if (!ctx) return ctx.error();
  return {};
}

int run(const config::Config& config) {
  setLogLevel(config.server.logLevel);
  auto log = logger("server");
  if (auto dir = prepareDataDir(config); !dir) {
    log->critical("{}", dir.error().message);
    return 1;
  }
  auto files = tlsFiles(config);
  auto tls = files ? net::makeServerContext(*files) : Result<std::shared_ptr<asio::ssl::context>>(files.error());
  if (!tls) {
    log->critical("{}", tls.error().message);
    return 1;
  }
  auto store = storage::openSqliteStore(config::sqliteFilePath(config));
  if (!store) {
    log->critical("storage: {}", store.error().message);
    return 1;
  }

  std::unique_ptr<s2s::Federation> federation;
  if (config.s2s.enabled) {
    auto made = s2s::Federation::create(config, *files, SystemClock::instance(), SecureRandom::instance(),
                                        resolverFactory(config));
    if (!made) {
      log->critical("s2s: {}", made.error().message);
      return 1;
    }
    federation = std::move(*made);
  }

  // SIP federation runs when [sip] names a listener (the default does: TLS 5061, TCP 5060).
  std::unique_ptr<sip::SipService> sipService;
  if (!config.sip.listen.empty()) {
    auto made = sip::SipService::create(config, *files, SystemClock::instance(), SecureRandom::instance(),
                                        resolverFactory(config));
    if (!made) {
      log->critical("sip: {}", made.error().message);
      return 1;
    }
    sipService = std::move(*made);
  }

  core::BlockingWorker worker;
  core::SessionRegistry registry;
  im::Context imContext{config.server.domains, registry, worker, **store,
                        SystemClock::instance(), config.c2s.offlineLimit, "impd", kVersion};
  RemoteRoutes remoteRoutes(federation.get());
  if (federation || sipService) imContext.remote = &remoteRoutes;
  imContext.peerProfiles = peerProfiles(config);
  im::Service service(std::move(imContext));
  net::AddressGuard guard({config.c2s.maxConnectionsPerIp, config.c2s.connectRatePerIp,
                            config.c2s.authFailuresPerIpPerMinute},
                           SystemClock::instance());
  xmpp::C2sContext c2s{config.c2s, config.server.domains, *tls, registry, worker, **store,
                       service, guard, SystemClock::instance(), SecureRandom::instance()};

  // Declared after everything the connections use, so it is destroyed (with any coroutine
  // still suspended on it) before them.
  net::IoPool pool(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<xmpp::C2sListener>> listeners;
  auto listen = [&](const config::ListenAddress& address, bool directTls) {
    auto listener = std::make_unique<xmpp::C2sListener>(c2s, pool, directTls);
    auto started = listener->start(address);
    if (!started) return false;
    listeners.push_back(std::move(listener));
    return true;
  };
  for (const auto& address : config.c2s.listen) {
    if (!listen(address, false)) {
      log->critical("c2s: cannot listen on {}:{}", address.host, address.port);
      return 1;
    }
  }
  for (const auto& address : config.c2s.directTlsListen) {
    if (!listen(address, true)) {
      log->critical("c2s: cannot listen on {}:{} (direct TLS)", address.host, address.port);
      return 1;
    }
  }
  admin::AdminServer adminApi({service, **store, worker, config.admins, SystemClock::instance()}, pool);
  if (auto address = config::parseHostPort(config.adminListen, true); address) {
    if (auto started = adminApi.start(address->host, address->port); !started) {
      log->critical("admin: {}", started.error().message);
      return 1;
    }
  }
  if (federation) {
    if (auto started = federation->start(pool, service); !started) {
      log->critical("s2s: {}", started.error().message);
      return 1;
    }
  }
  std::unique_ptr<sip_gateway::SipGateway> sipGateway;
  if (sipService) {
    if (auto started = sipService->start(pool); !started) {
      log->critical("sip: {}", started.error().message);
      sipService->release();  // its sockets belong to the pool, which goes first
      return 1;
    }
    sipGateway = std::make_unique<sip_gateway::SipGateway>(
        sip_gateway::SipGateway::Deps{*sipService, service, **store, worker, SystemClock::instance(),
                                      SecureRandom::instance()},
        config, sip_gateway::Options{.imIdle = std::chrono::seconds(config.sip.imIdleSeconds)});
    sipGateway->start();
    remoteRoutes.attachSip(sipGateway.get());
  }
  pool.start();
  log->info("impd {} serving {} (node {}, data in {})", kVersion, fmt::join(config.server.domains, ", "),
            config.server.node, config.server.dataDir.string());

  if (!config.c2s.listen.empty()) {
    const auto& first = config.c2s.listen.front();
    log->info("add a user:  impctl --config {} user add alice@{} --password PASSWORD", config.file.string(),
              config.server.domains.front());
    log->info("then sign in with any XMPP client as alice@{} (server {}, port {})", config.server.domains.front(),
              first.host, first.port);
  }

  asio::io_context control;
  asio::signal_set signals(control, SIGINT, SIGTERM, SIGHUP);
  asio::steady_timer grace(control);
  std::function<void()> waitSignal = [&] {
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        reload(config.file, federation.get());
        waitSignal();
        return;
      }
      // Drain: refuse new streams, close the open ones with a proper stream end, then stop.
      log->info("shutting down");
      c2s.draining = true;
      for (auto& l : listeners) l->stop();
      adminApi.stop();
      if (federation) federation->stop();
      if (sipGateway) sipGateway->stop();
      if (sipService) sipService->stop();
      for (auto& session : registry.all()) session->close("system-shutdown", "the server is shutting down");
      grace.expires_after(std::chrono::milliseconds(500));
      grace.async_wait([&](const boost::system::error_code&) { control.stop(); });
    });
  };
  waitSignal();
  control.run();
  pool.stop();
  pool.join();
  // A connection still open at this point never ran to its end, where it would have detached
  // from its session; the two own each other, so the link is cut here.
  for (auto& session : registry.all()) session->detach();
  if (federation) federation->release();
  if (sipService) sipService->release();
  worker.join();
  sipGateway.reset();
  log->info("stopped");
  return 0;
}

}  // namespace impd::server
