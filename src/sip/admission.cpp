// Admission of inbound requests (admission.h).
#include "sip/admission.h"

#include <algorithm>

#include "codec/sip/headers.h"
#include "dns/resolver.h"

namespace impd::sip {

namespace {

Verdict refuse(int status, std::string why) { return Verdict{status, std::move(why), {}}; }

bool sameAddress(std::string_view a, std::string_view b) {
  auto x = dns::parseAddressLiteral(a);
  auto y = dns::parseAddressLiteral(b);
  return x && y && *x == *y;
}

// Over TLS the certificate speaks; over TCP/UDP only the static route's addresses do.
std::optional<Verdict> checkCredentials(const PeerCredentials& peer,
                                        const config::SipFederatedDomain& fed,
                                        const RouteAddresses& routes) {
  const std::string& domain = fed.domain;
  if (peer.transport == TransportKind::Tls) {
    const PeerCertificate* cert = peer.certificate;
    if (!cert || !cert->presented) return refuse(403, "no client certificate for " + domain);
    if (!cert->trusted) return refuse(403, "certificate not trusted: " + cert->problem);
    if (!matchSipDomain(cert->names, domain)) {
      return refuse(403, "certificate does not name " + domain + " (it names " +
                             describe(cert->names) + ")");
    }
    return std::nullopt;
  }
  if (!fed.route) {
    return refuse(403, domain + " has no static route; without TLS it cannot be authenticated");
  }
  const auto addresses = routes ? routes(domain) : std::vector<std::string>{};
  const bool fromRoute = std::any_of(addresses.begin(), addresses.end(), [&](const auto& a) {
    return sameAddress(a, peer.address);
  });
  if (!fromRoute) return refuse(403, peer.address + " is not the static route of " + domain);
  return std::nullopt;
}

}  // namespace

std::string normalizeHost(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return dns::normalizeName(host);
}

const config::SipFederatedDomain* AdmissionPolicy::federatedDomain(std::string_view domain) const {
  const std::string wanted = normalizeHost(domain);
  for (const auto& fed : federated) {
    if (normalizeHost(fed.domain) == wanted) return &fed;
  }
  return nullptr;
}

bool AdmissionPolicy::isLocal(std::string_view host) const {
  const std::string wanted = normalizeHost(host);
  for (const auto* list : {&localDomains, &localHosts}) {
    for (const auto& name : *list) {
      if (normalizeHost(name) == wanted || sameAddress(name, wanted)) return true;
    }
  }
  return false;
}

std::optional<std::string> uriDomainOf(const Message& message, std::string_view header) {
  const auto value = message.get(header);
  if (!value) return std::nullopt;
  auto parsed = NameAddr::parse(*value);
  if (!parsed || !parsed->uri().isSip()) return std::nullopt;
  return normalizeHost(parsed->uri().host());
}

Verdict admit(const Message& request, const PeerCredentials& peer, const AdmissionPolicy& policy,
              const RouteAddresses& routes, bool knownDialog) {
  // OPTIONS asks what we are (RFC 3261 §11) and is how peers probe liveness; the dialog's
  // own identifiers authenticate in-dialog requests once we accepted the dialog.
  if (request.method() == "OPTIONS" || knownDialog) return {};
  auto target = Uri::parse(request.requestUri());
  if (!target) return refuse(400, "malformed Request-URI");
  if (!target->isSip()) return refuse(416, "unsupported URI scheme " + target->scheme());

  const auto from = request.get("From");
  auto fromAddr = from ? NameAddr::parse(*from) : Result<NameAddr>(makeError("bad-request"));
  if (!fromAddr) return refuse(400, "malformed From");
  if (!fromAddr->uri().isSip()) return refuse(403, "From is not a SIP URI of a federated domain");
  const std::string domain = normalizeHost(fromAddr->uri().host());
  const config::SipFederatedDomain* fed = policy.federatedDomain(domain);
  if (!fed) return refuse(403, domain + " is not a federated domain");
  if (auto refused = checkCredentials(peer, *fed, routes)) return *refused;

  if (!policy.isLocal(target->host())) {
    return refuse(404, std::string(target->host()) + " is not a domain of this server");
  }
  const auto to = request.get("To");
  auto toAddr = to ? NameAddr::parse(*to) : Result<NameAddr>(makeError("bad-request"));
  if (!toAddr) return refuse(400, "malformed To");
  // RFC 3261 §8.2.2.1 recommends accepting a To with a scheme we do not know (tel:).
  if (toAddr->uri().isSip() && !policy.isLocal(toAddr->uri().host())) {
    return refuse(403, std::string(toAddr->uri().host()) + " in To is not a domain of this server");
  }
  return Verdict{0, {}, fed->domain};
}

}  // namespace impd::sip
