// Locating federated SIP domains (locator.h).
#include "sip/locator.h"

#include "base/log.h"
#include "dns/srv_plan.h"

namespace impd::sip {

namespace asio = boost::asio;

namespace {
std::vector<Hop> tlsHops(const std::vector<dns::Target>& targets) {
  std::vector<Hop> out;
  for (const auto& t : targets) out.push_back(Hop{TransportKind::Tls, t.host, t.port});
  return out;
}
}  // namespace

std::string federationTlsSrvName(std::string_view domain) {
  return "_sipfederationtls._tcp." + dns::normalizeName(domain);
}

std::string sipsSrvName(std::string_view domain) { return "_sips._tcp." + dns::normalizeName(domain); }

TransportKind transportOf(config::SipTransport transport) {
  switch (transport) {
    case config::SipTransport::kUdp:
      return TransportKind::Udp;
    case config::SipTransport::kTcp:
      return TransportKind::Tcp;
    case config::SipTransport::kTls:
      return TransportKind::Tls;
  }
  return TransportKind::Tls;
}

std::vector<Hop> federationPlan(std::string_view domain, const std::vector<dns::SrvRecord>& federationTls,
                                const std::vector<dns::SrvRecord>& sips, Random& random) {
  bool declaredAbsent = false;
  for (const auto* set : {&federationTls, &sips}) {
    if (set->empty()) continue;
    auto ordered = dns::orderSrv(*set, random);
    if (!ordered.empty()) return tlsHops(ordered);
    declaredAbsent = declaredAbsent || dns::declaresNoService(*set);
  }
  if (declaredAbsent) return {};
  return {Hop{TransportKind::Tls, dns::normalizeName(domain), kSipTlsPort}};
}

asio::awaitable<std::vector<Hop>> locate(dns::Resolver& resolver, Random& random, std::string domain,
                                         std::optional<config::SipAddress> route) {
  if (route) co_return std::vector<Hop>{Hop{transportOf(route->transport), route->host, route->port}};
  const std::string names[2] = {federationTlsSrvName(domain), sipsSrvName(domain)};
  std::vector<dns::SrvRecord> answers[2];
  for (int i = 0; i < 2; ++i) {
    auto answer = co_await resolver.srv(names[i]);
    if (answer) {
      answers[i] = std::move(*answer);
    } else {
      logger("sip")->debug("{}: {}", names[i], answer.error().message);
    }
    // Microsoft's name answered: _sips is not needed (and is one query less per lookup).
    if (i == 0 && !answers[0].empty() && !dns::declaresNoService(answers[0])) break;
  }
  co_return federationPlan(domain, answers[0], answers[1], random);
}

}  // namespace impd::sip
