#pragma once
// Who may send us what: the admission rules every inbound request passes before anything
// else reads it. A request is admitted for the federated domain in its From when the
// transport proves the peer speaks for that domain (RFC 5922: a trusted certificate naming it
// over TLS; for plain TCP/UDP lab set-ups, a source address of the domain's static route), and
// when it is addressed to one of our domains. OPTIONS and requests inside a dialog we accepted
// are exempt. Pure: the caller supplies the peer's credentials and the route addresses.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/sip/message.h"
#include "codec/sip/transaction.h"
#include "config/config.h"
#include "sip/peer_identity.h"

namespace impd::sip {

struct AdmissionPolicy {
  std::vector<std::string> localDomains;  // users live under these (lower case)
  // Our own host names and listen addresses: a Request-URI naming one of them is for us too
  // (in-dialog requests target our Contact, which carries a host name, not a user domain).
  std::vector<std::string> localHosts;
  std::vector<config::SipFederatedDomain> federated;

  const config::SipFederatedDomain* federatedDomain(std::string_view domain) const;
  bool isLocal(std::string_view host) const;  // a local domain or one of localHosts
};

struct PeerCredentials {
  TransportKind transport = TransportKind::Udp;
  std::string address;                           // source IP of the request
  const PeerCertificate* certificate = nullptr;  // TLS only
};

// The IP addresses a federated domain's static route resolves to (empty: unknown or none).
using RouteAddresses = std::function<std::vector<std::string>(std::string_view domain)>;

struct Verdict {
  int status = 0;       // 0 when admitted, else the response to send
  std::string warning;  // why it was refused: for a Warning header and the log
  std::string domain;   // the federated domain admitted for; "" for exempt requests
  bool admitted() const { return status == 0; }
};

// Order: exemptions; the Request-URI scheme (416); the From domain must be federated (403)
// and proven by the transport (403); then the Request-URI (404, RFC 3261 §8.2.2.1: "not an
// address the UAS accepts requests for") and the To (403, the code §8.2.2.1 gives for
// refusing on To). Authentication comes first so that an unproven peer learns nothing about
// which of our addresses exist. Malformed From/To/Request-URI get 400.
Verdict admit(const Message& request, const PeerCredentials& peer, const AdmissionPolicy& policy,
              const RouteAddresses& routes, bool knownDialog);

// The host of a name-addr header's sip/sips URI, lower case without a trailing dot.
std::optional<std::string> uriDomainOf(const Message& message, std::string_view header);

// Lower case, no trailing dot, no IPv6 brackets: the form hosts are compared in.
std::string normalizeHost(std::string_view host);

}  // namespace impd::sip
