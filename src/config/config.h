#pragma once
// The typed configuration (INTERFACES.md "Config keys"). load() validates everything before the
// server starts; a bad file never yields a half-filled Config.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace impd::config {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "::1"
  std::uint16_t port = 0;
};

struct Server {
  std::vector<std::string> domains;  // prepared (IDNA U-label, lower case), unique
  std::string node = "node1";
  std::filesystem::path dataDir;     // absolute (resolved against the config file's folder)
  std::string logLevel = "info";     // [server] log_level
};

struct Storage {
  std::string backend = "sqlite";    // sqlite | postgresql
  std::string url;                   // postgresql only
};

struct Tls {
  std::filesystem::path certificate;  // absolute; empty: generate a self-signed one in data_dir
  std::filesystem::path key;
  std::filesystem::path caFile;       // empty: system store
};

struct Dns {
  std::vector<ListenAddress> servers;
};

struct C2s {
  std::vector<ListenAddress> listen{{"127.0.0.1", 5222}};
  std::vector<ListenAddress> directTlsListen;  // XEP-0368 direct TLS ([xmpp.c2s] direct_tls)
  std::string tls = "required";                // required | optional
  // Safety limits ([xmpp.c2s] ...).
  std::size_t maxStanzaBytes = 256 * 1024;
  unsigned maxConnectionsPerIp = 200;          // open connections from one address
  unsigned connectRatePerIp = 50;              // new connections per second from one address
  unsigned authFailuresBeforeClose = 3;        // failed SASL attempts per stream
  unsigned authFailuresPerIpPerMinute = 30;    // then further attempts from the IP are refused
  unsigned bytesPerSecond = 1 << 20;           // per connection read budget (token bucket)
  unsigned idleTimeoutSeconds = 300;           // close a stream silent this long
  unsigned negotiationTimeoutSeconds = 30;     // time to reach a bound session
  unsigned keepaliveSeconds = 60;              // whitespace ping when we have sent nothing
  unsigned smResumeTimeoutSeconds = 300;       // XEP-0198 resumption window
  std::size_t offlineLimit = 1000;             // stored messages per user
};

// XMPP server-to-server ([xmpp.s2s]).
enum class S2sTls { kDisabled, kOptional, kRequired };  // No TLS / Smart TLS / TLS required
enum class FederationPolicy { kOpen, kAllowlist, kDenylist };
enum class XmppPeerProfile { kSametime, kWebex, kImpd, kGeneric };  // availability mapping

// [[xmpp.s2s.peer]]
struct S2sPeer {
  std::string domain;  // prepared
  XmppPeerProfile profile = XmppPeerProfile::kGeneric;
};

// [[xmpp.s2s.route]]: bypasses DNS for one domain
struct S2sRoute {
  std::string domain;     // prepared
  ListenAddress address;  // host (name or IP) and port to connect to
};

struct S2s {
  bool enabled = true;
  std::vector<ListenAddress> listen{{"127.0.0.1", 5269}};
  S2sTls tls = S2sTls::kOptional;
  bool saslExternal = true;
  bool dialback = true;
  std::string dialbackSecret;  // empty: the server draws a random one per start (single node)
  FederationPolicy policy = FederationPolicy::kOpen;
  std::vector<std::string> allow;  // prepared domains; only with kAllowlist
  std::vector<std::string> deny;   // prepared domains; only with kDenylist
  std::vector<S2sPeer> peers;
  std::vector<S2sRoute> routes;
};

// SIP ([sip]).
enum class SipTransport { kUdp, kTcp, kTls };
enum class SipProfile { kLync, kOcs, kGeneric };  // dialect and availability mapping

struct SipAddress {  // "tls://127.0.0.1:5061"
  SipTransport transport = SipTransport::kTls;
  std::string host;
  std::uint16_t port = 0;  // written out, or 5061 for tls and 5060 otherwise
};

// [[sip.federated_domain]]
struct SipFederatedDomain {
  std::string domain;  // prepared
  SipProfile profile = SipProfile::kGeneric;
  std::optional<SipAddress> route;  // static next hop; DNS SRV when absent
};

struct Sip {
  std::vector<SipAddress> listen{{SipTransport::kTls, "127.0.0.1", 5061},
                                 {SipTransport::kTcp, "127.0.0.1", 5060}};
  std::vector<SipFederatedDomain> federatedDomains;
  unsigned imIdleSeconds = 600;  // an IM session quiet this long ends with BYE (Lync: 10 min)
};

struct Config {
  std::filesystem::path file;  // absolute path of the file loaded
  Server server;
  Storage storage;
  Tls tls;
  Dns dns;
  C2s c2s;
  S2s s2s;
  Sip sip;
  std::string adminListen = "127.0.0.1:5280";  // validated "host:port"; parseHostPort() splits it
  std::vector<std::string> admins;             // prepared bare JIDs
};

// Reads and validates a file. The Error message names the file, the key and what is wrong,
// e.g. "impd.toml: server.domains: must list at least one domain". Unknown keys are errors.
Result<Config> load(const std::filesystem::path& file);

// "host:port", "[v6]:port". allowPortZero for listeners (port 0 = any free port, for tests).
Result<ListenAddress> parseHostPort(std::string_view text, bool allowPortZero = false);
std::string toString(const ListenAddress& address);  // brackets IPv6 hosts again
std::string toString(const SipAddress& address);     // "tls://127.0.0.1:5061"

// Where data lives, for the server and impctl to agree on: <data_dir>/impd.sqlite, and the
// certificate and key the server generates when [tls] names none, <data_dir>/self-signed.pem
// and <data_dir>/self-signed.key.
std::filesystem::path sqliteFilePath(const Config& config);
std::filesystem::path selfSignedCertificatePath(const Config& config);
std::filesystem::path selfSignedKeyPath(const Config& config);

// One row per accepted key, from the schema itself: for docs and `impd --help-config`.
struct KeyDoc {
  std::string key;       // dotted, e.g. "xmpp.c2s.tls"; array tables as "xmpp.s2s.peer[].domain"
  std::string type;      // e.g. "string: required | optional", "integer 1..65535"
  std::string fallback;  // the default as TOML text; empty when there is none
  std::string doc;
};
std::vector<KeyDoc> describeKeys();

}  // namespace impd::config
