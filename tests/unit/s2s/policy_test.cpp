// Federation policy: exact domain matching (the seed's subdomain rules), local and SIP
// domains never federate over XMPP.
#include "s2s/policy.h"

#include <gtest/gtest.h>

namespace impd::s2s {
namespace {

config::Config base(config::FederationPolicy mode) {
  config::Config c;
  c.server.domains = {"imp.example.com"};
  c.s2s.policy = mode;
  c.sip.federatedDomains.push_back({"lync.test", config::SipProfile::kLync, std::nullopt});
  return c;
}

TEST(PolicyTest, OpenAllowsEveryoneButLocalAndSipDomains) {
  Policy p(base(config::FederationPolicy::kOpen));
  EXPECT_TRUE(p.permits("example.com"));  // the parent of a local domain is another domain
  EXPECT_TRUE(p.permits("other.imp.example.com"));
  EXPECT_FALSE(p.permits("imp.example.com"));
  EXPECT_FALSE(p.permits("lync.test"));
  EXPECT_FALSE(p.permits(""));
  EXPECT_TRUE(p.isLocal("imp.example.com"));
}

TEST(PolicyTest, AllowlistMatchesExactlyNotBySuffix) {
  auto c = base(config::FederationPolicy::kAllowlist);
  c.s2s.allow = {"a.example.com", "partner.test"};
  Policy p(c);
  EXPECT_TRUE(p.permits("a.example.com"));
  EXPECT_TRUE(p.permits("partner.test"));
  EXPECT_FALSE(p.permits("b.example.com"));
  EXPECT_FALSE(p.permits("example.com"));
  EXPECT_FALSE(p.permits("x.a.example.com"));
  EXPECT_FALSE(p.permits("sub.partner.test"));
}

TEST(PolicyTest, DenylistMatchesExactlyNotBySuffix) {
  auto c = base(config::FederationPolicy::kDenylist);
  c.s2s.deny = {"example.com"};
  Policy p(c);
  EXPECT_FALSE(p.permits("example.com"));
  EXPECT_TRUE(p.permits("a.example.com"));
  EXPECT_TRUE(p.permits("partner.test"));
}

}  // namespace
}  // namespace impd::s2s

namespace impd::s2s {
namespace {

TEST(PolicyTest, ReloadSwapsTheListsButNotTheLocalDomains) {
  Policy p(base(config::FederationPolicy::kOpen));
  EXPECT_TRUE(p.permits("partner.test"));
  auto next = base(config::FederationPolicy::kDenylist);
  next.s2s.deny = {"partner.test"};
  next.server.domains = {"new.example.com"};
  p.reload(next);
  EXPECT_FALSE(p.permits("partner.test"));
  EXPECT_TRUE(p.isLocal("imp.example.com"));
  EXPECT_FALSE(p.isLocal("new.example.com"));
}

}  // namespace
}  // namespace impd::s2s
