// Checks that span more than one key. Each key's own type and bounds are checked by its
// descriptor in keys.cpp before this runs.
#include "config/validate.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "config/address.h"
#include "config/values.h"

namespace impd::config::schema {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Result<void> checkStorage(const Config& c, const Context& ctx) {
  if (c.storage.backend == "postgresql" && c.storage.url.empty()) {
    return ctx.error("storage.url", "is required with backend = \"postgresql\"");
  }
  if (c.storage.backend != "postgresql" && !c.storage.url.empty()) {
    // An operator who set a URL expects PostgreSQL; starting on SQLite instead would split
    // the data silently.
    return ctx.error("storage.url", "only used with backend = \"postgresql\" (backend is " +
                                        quote(c.storage.backend) + ")");
  }
  return {};
}

Result<void> checkFiles(const Config& c, const Context& ctx) {
  if (c.tls.certificate.empty() != c.tls.key.empty()) {
    return c.tls.key.empty() ? ctx.error("tls.key", "must be set together with tls.certificate")
                             : ctx.error("tls.certificate", "must be set together with tls.key");
  }
  std::error_code ec;
  if (std::filesystem::exists(c.server.dataDir, ec) &&
      !std::filesystem::is_directory(c.server.dataDir, ec)) {
    return ctx.error("server.data_dir", "not a directory: " + c.server.dataDir.string());
  }
  return {};
}

Result<void> checkDns(const Config& c, const Context& ctx) {
  for (std::size_t i = 0; i < c.dns.servers.size(); ++i) {
    if (!isIpLiteral(c.dns.servers[i].host)) {
      return ctx.error(indexPath("dns.servers", i),
                       "must be an IP address: the resolver cannot look up its own server");
    }
  }
  return {};
}

Result<void> checkS2s(const Config& c, const Context& ctx) {
  const S2s& s = c.s2s;
  static const char* kPolicy[] = {"open", "allowlist", "denylist"};
  std::string policy = quote(kPolicy[static_cast<int>(s.policy)]);
  if (!s.allow.empty() && s.policy != FederationPolicy::kAllowlist) {
    return ctx.error("xmpp.s2s.allow",
                     "only used with policy = \"allowlist\" (policy is " + policy + ")");
  }
  if (!s.deny.empty() && s.policy != FederationPolicy::kDenylist) {
    return ctx.error("xmpp.s2s.deny",
                     "only used with policy = \"denylist\" (policy is " + policy + ")");
  }
  if (!s.enabled) return {};
  if (!s.saslExternal && !s.dialback) {
    return ctx.error("xmpp.s2s.dialback",
                     "sasl_external and dialback are both false, so no peer could authenticate");
  }
  if (s.saslExternal && s.tls == S2sTls::kDisabled) {
    return ctx.error("xmpp.s2s.sasl_external",
                     "needs TLS, but xmpp.s2s.tls is \"disabled\" (set it false, or enable TLS)");
  }
  return {};
}

// Every federated domain with the key that names it, for the overlap checks.
struct Named {
  std::string key;
  std::string domain;
  bool xmpp;  // XMPP-federated (peer, route, allow) rather than SIP or a denial
};

std::vector<Named> federatedDomains(const Config& c) {
  std::vector<Named> out;
  for (std::size_t i = 0; i < c.s2s.allow.size(); ++i) {
    out.push_back({indexPath("xmpp.s2s.allow", i), c.s2s.allow[i], true});
  }
  for (std::size_t i = 0; i < c.s2s.deny.size(); ++i) {
    out.push_back({indexPath("xmpp.s2s.deny", i), c.s2s.deny[i], false});
  }
  for (std::size_t i = 0; i < c.s2s.peers.size(); ++i) {
    out.push_back({indexPath("xmpp.s2s.peer", i) + ".domain", c.s2s.peers[i].domain, true});
  }
  for (std::size_t i = 0; i < c.s2s.routes.size(); ++i) {
    out.push_back({indexPath("xmpp.s2s.route", i) + ".domain", c.s2s.routes[i].domain, true});
  }
  return out;
}

Result<void> checkFederation(const Config& c, const Context& ctx) {
  std::vector<Named> xmpp = federatedDomains(c);
  std::vector<Named> sip;
  for (std::size_t i = 0; i < c.sip.federatedDomains.size(); ++i) {
    sip.push_back({indexPath("sip.federated_domain", i) + ".domain",
                   c.sip.federatedDomains[i].domain, false});
  }
  for (const auto* list : {&xmpp, &sip}) {
    for (const Named& n : *list) {
      if (contains(c.server.domains, n.domain)) {
        return ctx.error(n.key, quote(n.domain) + " is a local domain (server.domains)");
      }
    }
  }
  // A domain listed twice in one kind of table would get two conflicting treatments.
  auto firstDuplicate = [&](const std::vector<Named>& list, std::string_view prefix) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].key.starts_with(prefix)) continue;
      for (std::size_t j = 0; j < i; ++j) {
        if (list[j].key.starts_with(prefix) && list[j].domain == list[i].domain) {
          return ctx.error(list[i].key,
                           quote(list[i].domain) + " is listed twice (also " + list[j].key + ")");
        }
      }
    }
    return Error{};
  };
  for (std::string_view prefix : {"xmpp.s2s.peer", "xmpp.s2s.route"}) {
    if (Error e = firstDuplicate(xmpp, prefix); !e.message.empty()) return e;
  }
  if (Error e = firstDuplicate(sip, "sip."); !e.message.empty()) return e;
  // A domain federates over one protocol: the same users reached two ways would get
  // duplicate or contradictory presence. (Denying it XMPP federation is consistent.)
  for (const Named& s : sip) {
    for (const Named& x : xmpp) {
      if (x.xmpp && x.domain == s.domain) {
        return ctx.error(s.key, quote(s.domain) + " is also XMPP-federated (" + x.key +
                                    "); a domain federates over SIP or XMPP, not both");
      }
    }
  }
  return {};
}

// Two listeners on one address fail at start-up; say which keys collide instead. UDP and
// TCP are separate port spaces (SIP commonly uses both on 5060).
Result<void> checkListeners(const Config& c, const Context& ctx) {
  std::map<std::tuple<bool, std::string, int>, std::string> used;
  auto claim = [&](const std::string& key, bool udp, const ListenAddress& a) -> Result<void> {
    if (a.port == 0) return {};  // any free port: never collides
    auto [it, fresh] = used.try_emplace({udp, a.host, a.port}, key);
    if (fresh) return {};
    return ctx.error(key, toString(a) + " is already used by " + it->second);
  };
  auto claimAll = [&](const std::string& key,
                      const std::vector<ListenAddress>& list) -> Result<void> {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (auto r = claim(indexPath(key, i), false, list[i]); !r) return r;
    }
    return {};
  };
  if (auto r = claimAll("xmpp.c2s.listen", c.c2s.listen); !r) return r;
  if (auto r = claimAll("xmpp.c2s.direct_tls", c.c2s.directTlsListen); !r) return r;
  if (c.s2s.enabled) {
    if (auto r = claimAll("xmpp.s2s.listen", c.s2s.listen); !r) return r;
  }
  for (std::size_t i = 0; i < c.sip.listen.size(); ++i) {
    const SipAddress& s = c.sip.listen[i];
    bool udp = s.transport == SipTransport::kUdp;
    if (auto r = claim(indexPath("sip.listen", i), udp, {s.host, s.port}); !r) return r;
  }
  auto admin = parseHostPort(c.adminListen, true);
  if (admin) return claim("admin.listen", false, *admin);
  return {};
}

}  // namespace

Result<void> validate(const Config& config, const Context& ctx) {
  if (config.server.domains.empty()) {
    return ctx.error("server.domains", "must list at least one domain");
  }
  for (auto check :
       {checkStorage, checkFiles, checkDns, checkS2s, checkFederation, checkListeners}) {
    if (auto r = check(config, ctx); !r) return r;
  }
  return {};
}

}  // namespace impd::config::schema
