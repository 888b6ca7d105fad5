// impctl check federation DOMAIN, for XMPP-federated domains: what a real outbound stream
// would do, step by step, with the same code the server uses (policy, DNS plan, STARTTLS,
// certificate checks, SASL EXTERNAL, then dialback). Dialback completes only when the peer can
// reach a running impd of ours that shares [xmpp.s2s] dialback_secret, which is exactly the
// condition for federation to work.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/ssl.h>

#include <array>
#include <iostream>

#include "codec/xmpp/jid.h"
#include "commands.h"
#include "config/config.h"
#include "dns/cares_resolver.h"
#include "dns/srv_plan.h"
#include "net/cert_identity.h"
#include "net/connect.h"
#include "net/stream_socket.h"
#include "net/tls.h"
#include "s2s/outbound_stream.h"
#include "s2s/policy.h"

namespace impd::impctl {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr std::chrono::seconds kStepTimeout{10};

// Drives one OutboundStream over a socket and remembers how it ended.
class Probe final : public s2s::OutboundHost {
 public:
  Probe(const s2s::StreamSettings& settings, const std::string& local, const std::string& remote,
        net::StreamSocket& socket, asio::ssl::context& tls)
      : remote_(remote), socket_(socket), tls_(tls), stream_(settings, local, remote, *this) {}

  awaitable<bool> run() {
    stream_.connected(false);
    std::array<char, 8192> buffer;
    asio::steady_timer deadline(socket_.tcp().get_executor());
    while (!done_) {
      boost::system::error_code ec;
      if (!out_.empty()) {
        std::string bytes = std::exchange(out_, {});
        co_await socket_.writeAll(asio::buffer(bytes), ec);
        if (ec) co_return finish(false, "write failed: " + ec.message());
      }
      if (tlsWanted_) {
        tlsWanted_ = false;
        co_await socket_.startClientTls(tls_, remote_, ec);
        if (ec) co_return finish(false, "TLS handshake failed: " + ec.message());
        reportCertificate();
        stream_.tlsEstablished();
        continue;
      }
      deadline.expires_after(kStepTimeout);
      deadline.async_wait([this](boost::system::error_code e) {
        if (!e) socket_.close();
      });
      std::size_t n = co_await socket_.readSome(asio::buffer(buffer), ec);
      deadline.cancel();
      if (ec) co_return finish(false, "the peer closed the connection or did not answer in time");
      parser_.feed({buffer.data(), n}, stream_);
    }
    co_return ok_;
  }

 private:
  bool finish(bool ok, std::string text) {
    if (!done_) std::cout << "  " << text << "\n";
    done_ = true;
    ok_ = ok;
    return ok;
  }
  void reportCertificate() {
    SSL* ssl = socket_.nativeTls();
    X509* leaf = SSL_get0_peer_certificate(ssl);
    std::cout << "  TLS: " << SSL_get_version(ssl) << " " << SSL_get_cipher_name(ssl) << "\n";
    auto chain = net::verifyChain(leaf, SSL_get_peer_cert_chain(ssl), SSL_CTX_get_cert_store(tls_.native_handle()));
    std::cout << "  certificate chain: " << (chain ? "trusted" : "NOT trusted: " + chain.error().message) << "\n";
    if (leaf == nullptr) return;
    auto id = net::matchServiceIdentity(leaf, remote_);
    std::cout << "  certificate identity: "
              << (id ? "names " + remote_ + " (" + std::string(net::identityKindName(id->kind)) + " " + id->presented + ")"
                     : "DOES NOT name " + remote_ + ": " + id.error().message)
              << "\n";
  }

  // OutboundHost
  void write(std::string bytes) override { out_ += bytes; }
  void startTls() override { tlsWanted_ = true; }
  void resetParser() override { parser_.reset(); }
  void established(std::string_view method) override {
    finish(true, "authenticated with " + std::string(method) + (socket_.isTls() ? " over TLS" : " WITHOUT TLS"));
  }
  void failed(std::string_view condition, std::string reason) override {
    finish(false, "failed: " + reason + " (stanzas would get " + std::string(condition) + ")");
  }
  void verified(const s2s::DialbackCheck&, const s2s::DialbackOutcome&) override {}

  std::string remote_;
  net::StreamSocket& socket_;
  asio::ssl::context& tls_;
  xml::StreamParser parser_;
  s2s::OutboundStream stream_;
  std::string out_;
  bool tlsWanted_ = false, done_ = false, ok_ = false;
};

awaitable<std::vector<dns::Target>> plan(const config::Config& config, dns::Resolver& resolver,
                                         const std::string& domain, Random& random) {
  for (const auto& route : config.s2s.routes) {
    if (route.domain == domain) {
      std::cout << "static route ([[xmpp.s2s.route]]): " << config::toString(route.address) << "\n";
      co_return std::vector<dns::Target>{{route.address.host, route.address.port, false}};
    }
  }
  std::vector<dns::SrvRecord> sets[2];
  const std::string names[2] = {dns::xmppsServerName(domain), dns::xmppServerName(domain)};
  for (int i = 0; i < 2; ++i) {
    auto records = co_await resolver.srv(names[i]);
    if (!records) {
      std::cout << names[i] << ": " << records.error().message << "\n";
      continue;
    }
    std::cout << names[i] << ": " << (records->empty() ? "no records" : std::to_string(records->size()) + " record(s)")
              << "\n";
    for (const auto& r : *records) {
      std::cout << "  " << r.priority << " " << r.weight << " " << r.port << " " << r.target << "\n";
    }
    sets[i] = std::move(*records);
  }
  auto targets = dns::connectPlan(domain, sets[0], sets[1], random);
  if (sets[0].empty() && sets[1].empty()) std::cout << "no SRV records: falling back to " << domain << ":5269\n";
  co_return targets;
}

awaitable<int> checkXmpp(const config::Config& config, const std::string& domain, asio::ssl::context& tls) {
  auto& io = static_cast<asio::io_context&>((co_await asio::this_coro::executor).context());
  dns::CaresResolver::Options options;
  for (const auto& s : config.dns.servers) options.servers.emplace_back(asio::ip::make_address(s.host), s.port);
  options.hostsFile = config.dns.servers.empty();
  auto resolver = dns::CaresResolver::create(io, options);
  if (!resolver) co_return fail("check federation " + domain + ": " + resolver.error().message);
  const auto targets = co_await plan(config, **resolver, domain, SecureRandom::instance());
  if (targets.empty()) co_return fail("check federation " + domain + ": the domain offers no server-to-server service");

  s2s::StreamSettings settings{config.s2s.tls, config.s2s.saslExternal, config.s2s.dialback, config.s2s.dialbackSecret};
  if (settings.dialbackSecret.empty()) {
    std::cout << "note: [xmpp.s2s] dialback_secret is not set, so dialback cannot be checked from here\n";
    settings.dialbackSecret = "impctl-without-a-secret";
  }
  const std::string& local = config.server.domains.front();
  for (const auto& target : targets) {
    auto addresses = co_await (*resolver)->addresses(target.host);
    if (!addresses) {
      std::cout << target.host << ": " << addresses.error().message << "\n";
      continue;
    }
    for (const auto& address : *addresses) {
      std::cout << "connecting to " << target.host << " (" << address.to_string() << ":" << target.port << ")"
                << (target.directTls ? ", direct TLS" : "") << "\n";
      asio::ip::tcp::socket tcp(io);
      auto ec = co_await net::connectWithin(tcp, {address, target.port}, kStepTimeout);
      if (ec) {
        std::cout << "  does not answer: " << ec.message() << "\n";
        continue;
      }
      net::StreamSocket socket(std::move(tcp));
      if (target.directTls) {
        co_await socket.startClientTls(tls, domain, ec);
        if (ec) {
          std::cout << "  direct TLS failed: " << ec.message() << "\n";
          continue;
        }
      }
      Probe probe(settings, local, domain, socket, tls);
      if (co_await probe.run()) {
        std::cout << "federation with " << domain << " works from " << local << "\n";
        co_return kOk;
      }
      co_return fail("check federation " + domain + ": the stream did not authenticate (see above)");
    }
  }
  co_return fail("check federation " + domain + ": no target answered");
}

}  // namespace

int checkFederation(const config::Config& config, const std::string& domainText) {
  auto domain = xmpp::prepareDomain(domainText);
  if (!domain) return fail("check federation " + domainText + ": not a domain name");
  s2s::Policy policy(config);
  if (policy.isLocal(*domain)) return fail("check federation " + *domain + ": a local domain (server.domains)");
  for (const auto& sip : config.sip.federatedDomains) {
    if (sip.domain == *domain) {
      return fail("check federation " + *domain +
                  ": a SIP-federated domain; the SIP federation checks come with the SIP gateway");
    }
  }
  if (!config.s2s.enabled) return fail("check federation " + *domain + ": XMPP federation is disabled ([xmpp.s2s] enabled)");
  if (!policy.permits(*domain)) {
    return fail("check federation " + *domain + ": the federation policy ([xmpp.s2s] policy) refuses it");
  }
  std::cout << *domain << ": XMPP federation, permitted by the policy\n";
  net::TlsFiles files{config.tls.certificate, config.tls.key, config.tls.caFile};
  if (files.certificate.empty()) {
    files.certificate = config::selfSignedCertificatePath(config);
    files.key = config::selfSignedKeyPath(config);
  }
  auto tls = net::makeClientContext(files);
  if (!tls) return fail("check federation: " + tls.error().message);
  asio::io_context io;
  int status = kFailed;
  asio::co_spawn(io, checkXmpp(config, *domain, **tls), [&status](std::exception_ptr e, int result) {
    status = e ? fail("check federation: internal error") : result;
  });
  io.run();
  return status;
}

}  // namespace impd::impctl
