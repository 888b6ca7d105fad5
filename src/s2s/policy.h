#pragma once
// Which remote domains may federate with us over XMPP ([xmpp.s2s] policy, allow, deny).
// Domains match exactly, never by suffix: allowing example.com says nothing about
// imp.example.com, as the seed's "Federation and Subdomains" section requires.
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace impd::s2s {

class Policy {
 public:
  explicit Policy(const config::Config& config);

  bool isLocal(std::string_view domain) const;
  // Whether stanzas may be exchanged with `domain` (already prepared) over XMPP. A local
  // domain is never a federation partner (a peer claiming one is spoofing), and a domain
  // federated over SIP is reached only over SIP.
  bool permits(std::string_view domain) const;

 private:
  config::FederationPolicy mode_;
  std::vector<std::string> allow_, deny_, local_, sip_;  // sorted
};

}  // namespace impd::s2s
