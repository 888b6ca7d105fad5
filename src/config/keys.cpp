// The schema: every accepted key, once, with its type, bounds and doc. Defaults are the
// initializers in config.h. Checks that involve more than one key live in validate.cpp.
#include <functional>

#include "config/factories.h"

namespace impd::config::schema {

namespace {

std::optional<std::string> checkNodeName(const std::string& name) {
  if (name.empty() || name.size() > 64) return "must be 1 to 64 characters";
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return "may hold only letters, digits, '-', '_' and '.' (got " + quote(name) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> checkHostPort(const std::string& text) {
  auto parsed = parseHostPort(text, true);
  if (!parsed) return parsed.error().message;
  return std::nullopt;
}

std::optional<std::string> checkSecret(const std::string& secret) {
  // Dialback keys are HMACs under this secret; a short one can be guessed offline from
  // observed keys, which lets anyone speak for our domains.
  if (!secret.empty() && secret.size() < 16) return "must be at least 16 characters";
  return std::nullopt;
}

const Keys<Server>& serverKeys() {
  using K = KeysOf<Server>;
  static const Keys<Server> keys = [] {
    Keys<Server> k{
        K::domains("domains", &Server::domains, "every local domain; users live under these"),
        K::text("node", &Server::node, "this node's name, unique in a cluster", checkNodeName),
        K::path("data_dir", &Server::dataDir, "var", false,
                "where the SQLite file and the generated certificate live"),
        K::choice("log_level", &Server::logLevel,
                  {"trace", "debug", "info", "warn", "error", "critical", "off"},
                  "least severe log level written to stderr"),
    };
    k[0].required = true;
    return k;
  }();
  return keys;
}

const Keys<Storage>& storageKeys() {
  using K = KeysOf<Storage>;
  static const Keys<Storage> keys{
      K::choice("backend", &Storage::backend, {"sqlite", "postgresql"},
                "sqlite: one node, the file lives in data_dir; postgresql: a cluster"),
      K::text("url", &Storage::url, "libpq connection string; only with backend = \"postgresql\""),
  };
  return keys;
}

const Keys<Tls>& tlsKeys() {
  using K = KeysOf<Tls>;
  static const Keys<Tls> keys{
      K::path("certificate", &Tls::certificate, "", true,
              "PEM chain covering every local domain (SAN); absent: self-signed in data_dir"),
      K::path("key", &Tls::key, "", true, "PEM private key of the certificate"),
      K::path("ca_file", &Tls::caFile, "", true,
              "trust anchors for peers; system store when absent"),
  };
  return keys;
}

const Keys<Dns>& dnsKeys() {
  using K = KeysOf<Dns>;
  static const Keys<Dns> keys{
      K::hostPorts("servers", &Dns::servers, false,
                   "DNS servers as ip:port; the system resolver when absent"),
  };
  return keys;
}

const Keys<C2s>& c2sKeys() {
  using K = KeysOf<C2s>;
  static const Keys<C2s> keys{
      K::hostPorts("listen", &C2s::listen, true, "client listeners (STARTTLS), host:port"),
      K::hostPorts("direct_tls", &C2s::directTlsListen, true,
                   "client listeners that start with TLS (XEP-0368), host:port"),
      K::choice("tls", &C2s::tls, {"required", "optional"}, "whether clients must use TLS"),
      // RFC 6120 13.12: a server must accept stanzas of at least 10000 bytes.
      K::integer("max_stanza_bytes", &C2s::maxStanzaBytes, 10000, 16 << 20,
                 "largest stanza accepted, in bytes"),
      K::integer("max_connections_per_ip", &C2s::maxConnectionsPerIp, 1, 1'000'000,
                 "open client connections allowed from one address"),
      K::integer("connect_rate_per_ip", &C2s::connectRatePerIp, 1, 1'000'000,
                 "new connections per second allowed from one address"),
      K::integer("auth_failures_before_close", &C2s::authFailuresBeforeClose, 1, 100,
                 "failed SASL attempts before the stream is closed"),
      K::integer("auth_failures_per_ip_per_minute", &C2s::authFailuresPerIpPerMinute, 1, 1'000'000,
                 "failed logins from one address per minute before it is refused"),
      K::integer("bytes_per_second", &C2s::bytesPerSecond, 1024, 1 << 30,
                 "read budget per connection, bytes per second"),
      K::integer("idle_timeout", &C2s::idleTimeoutSeconds, 1, 86400,
                 "seconds of silence after which a stream is closed"),
      K::integer("negotiation_timeout", &C2s::negotiationTimeoutSeconds, 1, 3600,
                 "seconds allowed from connect to a bound session"),
      K::integer("keepalive", &C2s::keepaliveSeconds, 1, 3600,
                 "seconds without output before a whitespace ping"),
      K::integer("sm_resume_timeout", &C2s::smResumeTimeoutSeconds, 1, 86400,
                 "seconds a stream management session stays resumable (XEP-0198)"),
      K::integer("offline_limit", &C2s::offlineLimit, 0, 1'000'000,
                 "offline messages stored per user (0: none)"),
  };
  return keys;
}

const Keys<S2sPeer>& peerKeys() {
  using K = KeysOf<S2sPeer>;
  static const Keys<S2sPeer> keys{
      K::domain("domain", &S2sPeer::domain, "the federated XMPP domain"),
      K::enumeration("profile", &S2sPeer::profile,
                     {{"sametime", XmppPeerProfile::kSametime},
                      {"webex", XmppPeerProfile::kWebex},
                      {"impd", XmppPeerProfile::kImpd},
                      {"generic", XmppPeerProfile::kGeneric}},
                     "availability mapping used with this peer"),
  };
  return keys;
}

const Keys<S2sRoute>& routeKeys() {
  using K = KeysOf<S2sRoute>;
  static const Keys<S2sRoute> keys{
      K::domain("domain", &S2sRoute::domain, "the XMPP domain this route is for"),
      K::hostPort("address", &S2sRoute::address, false, "host:port to connect to instead of DNS"),
  };
  return keys;
}

const Keys<S2s>& s2sKeys() {
  using K = KeysOf<S2s>;
  static const Keys<S2s> keys{
      K::boolean("enabled", &S2s::enabled, "whether XMPP federation runs at all"),
      K::hostPorts("listen", &S2s::listen, true, "server-to-server listeners, host:port"),
      K::enumeration("tls", &S2s::tls,
                     {{"disabled", S2sTls::kDisabled},
                      {"optional", S2sTls::kOptional},
                      {"required", S2sTls::kRequired}},
                     "No TLS / Smart TLS / TLS required"),
      K::boolean("sasl_external", &S2s::saslExternal, "authenticate peers by certificate"),
      K::boolean("dialback", &S2s::dialback, "authenticate peers by dialback (XEP-0220)"),
      K::text("dialback_secret", &S2s::dialbackSecret,
              "shared by every node of a deployment; random per start when absent", checkSecret),
      K::enumeration("policy", &S2s::policy,
                     {{"open", FederationPolicy::kOpen},
                      {"allowlist", FederationPolicy::kAllowlist},
                      {"denylist", FederationPolicy::kDenylist}},
                     "which XMPP domains may federate"),
      K::domains("allow", &S2s::allow, "domains allowed, with policy = \"allowlist\""),
      K::domains("deny", &S2s::deny, "domains refused, with policy = \"denylist\""),
      K::tables("peer", &S2s::peers, peerKeys()),
      K::tables("route", &S2s::routes, routeKeys()),
  };
  return keys;
}

const Keys<SipFederatedDomain>& sipDomainKeys() {
  using K = KeysOf<SipFederatedDomain>;
  static const Keys<SipFederatedDomain> keys{
      K::domain("domain", &SipFederatedDomain::domain, "the SIP federated domain"),
      K::enumeration("profile", &SipFederatedDomain::profile,
                     {{"lync", SipProfile::kLync},
                      {"ocs", SipProfile::kOcs},
                      {"generic", SipProfile::kGeneric}},
                     "dialect and availability mapping"),
      K::sipRoute("route", &SipFederatedDomain::route, "static next hop; DNS SRV when absent"),
  };
  return keys;
}

const Keys<Sip>& sipKeys() {
  using K = KeysOf<Sip>;
  static const Keys<Sip> keys{
      K::sipListeners("listen", &Sip::listen, "SIP listeners, transport://host:port"),
      K::tables("federated_domain", &Sip::federatedDomains, sipDomainKeys()),
      K::integer("im_idle_timeout", &Sip::imIdleSeconds, 1, 86400,
                 "seconds of silence after which an IM session with a SIP user ends (BYE)"),
  };
  return keys;
}

const Keys<Config>& xmppKeys() {
  using K = KeysOf<Config>;
  static const Keys<Config> keys{
      K::table("c2s", &Config::c2s, c2sKeys()),
      K::table("s2s", &Config::s2s, s2sKeys()),
  };
  return keys;
}

const Keys<Config>& adminKeys() {
  using K = KeysOf<Config>;
  static const Keys<Config> keys{
      K::text("listen", &Config::adminListen, "admin HTTP API listener, host:port", checkHostPort),
      K::bareJids("admins", &Config::admins,
                  "accounts that may use the admin API for every user (others: only for themselves)"),
  };
  return keys;
}

}  // namespace

const Keys<Config>& rootKeys() {
  using K = KeysOf<Config>;
  static const Keys<Config> keys{
      K::table("server", &Config::server, serverKeys()),
      K::table("storage", &Config::storage, storageKeys()),
      K::table("tls", &Config::tls, tlsKeys()),
      K::table("dns", &Config::dns, dnsKeys()),
      K::table("xmpp", std::identity{}, xmppKeys()),
      K::table("sip", &Config::sip, sipKeys()),
      K::table("admin", std::identity{}, adminKeys()),
  };
  return keys;
}

}  // namespace impd::config::schema
