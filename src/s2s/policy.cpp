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

Policy::Policy(const config::Config& config)
    : mode_(config.s2s.policy),
      allow_(sorted(config.s2s.allow)),
      deny_(sorted(config.s2s.deny)),
      local_(sorted(config.server.domains)) {
  for (const auto& d : config.sip.federatedDomains) sip_.push_back(d.domain);
  sip_ = sorted(std::move(sip_));
}

bool Policy::isLocal(std::string_view domain) const { return contains(local_, domain); }

bool Policy::permits(std::string_view domain) const {
  if (domain.empty() || isLocal(domain) || contains(sip_, domain)) return false;
  switch (mode_) {
    case config::FederationPolicy::kOpen:
      return true;
    case config::FederationPolicy::kAllowlist:
      return contains(allow_, domain);
    case config::FederationPolicy::kDenylist:
      return !contains(deny_, domain);
  }
  return false;
}

}  // namespace impd::s2s
