#pragma once
// Which remote domains may federate with us over XMPP ([xmpp.s2s] policy, allow, deny).
// Domains match exactly, never by suffix: allowing example.com says nothing about
// imp.example.com, as the seed's "Federation and Subdomains" section requires.
// Thread-safe; reload() swaps the rules in one step (SIGHUP) and every later check sees them.
#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace impd::s2s {

class Policy {
 public:
  explicit Policy(const config::Config& config);
  Policy(const Policy& other) : rules_(other.rules_.load()) {}
  Policy& operator=(const Policy&) = delete;

  // Takes the policy, allow and deny lists of a newly loaded configuration. The local and SIP
  // domains stay as they were: those change only with a restart.
  void reload(const config::Config& config);

  bool isLocal(std::string_view domain) const;
  // Whether stanzas may be exchanged with `domain` (already prepared) over XMPP. A local
  // domain is never a federation partner (a peer claiming one is spoofing), and a domain
  // federated over SIP is reached only over SIP.
  bool permits(std::string_view domain) const;

 private:
  struct Rules {
    config::FederationPolicy mode = config::FederationPolicy::kOpen;
    std::vector<std::string> allow, deny, local, sip;  // sorted
  };
  static std::shared_ptr<const Rules> makeRules(const config::Config& config, const Rules* keep);

  std::atomic<std::shared_ptr<const Rules>> rules_;
};

}  // namespace impd::s2s
