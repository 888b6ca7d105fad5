#include "s2s/policy.h"

#include <algorithm>

namespace impd::s2s {

namespace {
std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

bool contains(const std::vector<std::string>& sortedList, std::string_view domain) {
  return std::binary_search(sortedList.begin(), sortedList.end(), domain, std::less<>());
}
}  // namespace

std::shared_ptr<const Policy::Rules> Policy::makeRules(const config::Config& config, const Rules* keep) {
  auto rules = std::make_shared<Rules>();
  rules->mode = config.s2s.policy;
  rules->allow = sorted(config.s2s.allow);
  rules->deny = sorted(config.s2s.deny);
  if (keep != nullptr) {
    rules->local = keep->local;
    rules->sip = keep->sip;
  } else {
    rules->local = sorted(config.server.domains);
    for (const auto& d : config.sip.federatedDomains) rules->sip.push_back(d.domain);
    rules->sip = sorted(std::move(rules->sip));
  }
  return rules;
}

Policy::Policy(const config::Config& config) : rules_(makeRules(config, nullptr)) {}

void Policy::reload(const config::Config& config) { rules_.store(makeRules(config, rules_.load().get())); }

bool Policy::isLocal(std::string_view domain) const { return contains(rules_.load()->local, domain); }

bool Policy::permits(std::string_view domain) const {
  const auto rules = rules_.load();
  if (domain.empty() || contains(rules->local, domain) || contains(rules->sip, domain)) return false;
  switch (rules->mode) {
    case config::FederationPolicy::kOpen:
      return true;
    case config::FederationPolicy::kAllowlist:
      return contains(rules->allow, domain);
    case config::FederationPolicy::kDenylist:
      return !contains(rules->deny, domain);
  }
  return false;
}

}  // namespace impd::s2s
