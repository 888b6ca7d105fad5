// Files that load: defaults, every INTERFACES.md key, the shipped example, path resolution.
#include <algorithm>
#include <set>

#include "config_fixture.h"

namespace impd::config::testing {
namespace {

TEST_F(ConfigTest, AMinimalFileGetsEveryDefault) {
  auto loaded = loadText(kMinimal);
  ASSERT_TRUE(loaded) << loaded.error().message;
  const Config& c = *loaded;
  EXPECT_EQ(c.file, dir_ / "impd.toml");
  EXPECT_EQ(c.server.domains, std::vector<std::string>{"imp.test"});
  EXPECT_EQ(c.server.node, "node1");
  EXPECT_EQ(c.server.dataDir, dir_ / "var");
  EXPECT_EQ(c.server.logLevel, "info");
  EXPECT_EQ(c.storage.backend, "sqlite");
  EXPECT_TRUE(c.storage.url.empty());
  EXPECT_TRUE(c.tls.certificate.empty());
  EXPECT_TRUE(c.tls.key.empty());
  EXPECT_TRUE(c.tls.caFile.empty());
  EXPECT_TRUE(c.dns.servers.empty());
  ASSERT_EQ(c.c2s.listen.size(), 1u);
  EXPECT_EQ(toString(c.c2s.listen[0]), "127.0.0.1:5222");
  EXPECT_TRUE(c.c2s.directTlsListen.empty());
  EXPECT_EQ(c.c2s.tls, "required");
  EXPECT_EQ(c.c2s.maxStanzaBytes, 256u * 1024);
  EXPECT_EQ(c.c2s.offlineLimit, 1000u);
  EXPECT_TRUE(c.s2s.enabled);
  EXPECT_EQ(c.s2s.tls, S2sTls::kOptional);
  EXPECT_EQ(c.s2s.policy, FederationPolicy::kOpen);
  EXPECT_TRUE(c.s2s.saslExternal);
  EXPECT_TRUE(c.s2s.dialback);
  ASSERT_EQ(c.sip.listen.size(), 2u);
  EXPECT_EQ(toString(c.sip.listen[0]), "tls://127.0.0.1:5061");
  EXPECT_EQ(c.adminListen, "127.0.0.1:5280");
  EXPECT_EQ(sqliteFilePath(c), dir_ / "var" / "impd.sqlite");
  EXPECT_EQ(selfSignedCertificatePath(c).parent_path(), dir_ / "var");
}

TEST_F(ConfigTest, EveryKeyOfTheInterfaceContractIsAccepted) {
  write("certs/imp.test.pem", "x");
  write("certs/imp.test.key", "x");
  write("certs/ca.pem", "x");
  auto loaded = loadText(R"(
[server]
domains   = ["imp.test", "Other.Test"]
node      = "node-2"
data_dir  = "var"
log_level = "debug"

[storage]
backend = "postgresql"
url = "postgresql://impd@127.0.0.1:5432/impd"

[tls]
certificate = "certs/imp.test.pem"
key         = "certs/imp.test.key"
ca_file     = "certs/ca.pem"

[dns]
servers = ["127.0.0.1:5353", "[::1]:53"]

[xmpp.c2s]
listen = ["127.0.0.1:5222", "[::1]:5222"]
direct_tls = ["127.0.0.1:5223"]
tls    = "optional"
max_stanza_bytes = 65536
max_connections_per_ip = 10
connect_rate_per_ip = 5
auth_failures_before_close = 2
auth_failures_per_ip_per_minute = 20
bytes_per_second = 4096
idle_timeout = 600
negotiation_timeout = 20
keepalive = 30
sm_resume_timeout = 120
offline_limit = 50

[xmpp.s2s]
enabled       = true
listen        = ["127.0.0.1:5269"]
tls           = "required"
sasl_external = true
dialback      = true
dialback_secret = "0123456789abcdef0123"
policy        = "allowlist"
allow         = ["sametime.test", "prosody.test"]
deny          = []

[[xmpp.s2s.peer]]
domain  = "sametime.test"
profile = "sametime"

[[xmpp.s2s.peer]]
domain  = "webex.test"
profile = "webex"

[[xmpp.s2s.route]]
domain  = "prosody.test"
address = "127.0.0.2:5269"

[sip]
listen = ["tls://127.0.0.1:5061", "tcp://127.0.0.1:5060", "udp://127.0.0.1:5060"]

[[sip.federated_domain]]
domain  = "lync.test"
profile = "lync"
route   = "tls://127.0.0.10:5061"

[[sip.federated_domain]]
domain  = "ocs.test"
profile = "ocs"

[admin]
listen = "127.0.0.1:5280"
)");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const Config& c = *loaded;
  EXPECT_EQ(c.server.domains, (std::vector<std::string>{"imp.test", "other.test"}));
  EXPECT_EQ(c.server.node, "node-2");
  EXPECT_EQ(c.server.logLevel, "debug");
  EXPECT_EQ(c.storage.backend, "postgresql");
  EXPECT_EQ(c.tls.certificate, dir_ / "certs" / "imp.test.pem");
  EXPECT_EQ(c.tls.key, dir_ / "certs" / "imp.test.key");
  EXPECT_EQ(c.tls.caFile, dir_ / "certs" / "ca.pem");
  ASSERT_EQ(c.dns.servers.size(), 2u);
  EXPECT_EQ(c.dns.servers[1].host, "::1");
  EXPECT_EQ(c.dns.servers[1].port, 53);
  EXPECT_EQ(c.c2s.listen[1].host, "::1");
  EXPECT_EQ(toString(c.c2s.listen[1]), "[::1]:5222");
  EXPECT_EQ(toString(c.c2s.directTlsListen.at(0)), "127.0.0.1:5223");
  EXPECT_EQ(c.c2s.tls, "optional");
  EXPECT_EQ(c.c2s.maxStanzaBytes, 65536u);
  EXPECT_EQ(c.c2s.maxConnectionsPerIp, 10u);
  EXPECT_EQ(c.c2s.connectRatePerIp, 5u);
  EXPECT_EQ(c.c2s.authFailuresBeforeClose, 2u);
  EXPECT_EQ(c.c2s.authFailuresPerIpPerMinute, 20u);
  EXPECT_EQ(c.c2s.bytesPerSecond, 4096u);
  EXPECT_EQ(c.c2s.idleTimeoutSeconds, 600u);
  EXPECT_EQ(c.c2s.negotiationTimeoutSeconds, 20u);
  EXPECT_EQ(c.c2s.keepaliveSeconds, 30u);
  EXPECT_EQ(c.c2s.smResumeTimeoutSeconds, 120u);
  EXPECT_EQ(c.c2s.offlineLimit, 50u);
  EXPECT_EQ(c.s2s.tls, S2sTls::kRequired);
  EXPECT_EQ(c.s2s.dialbackSecret, "0123456789abcdef0123");
  EXPECT_EQ(c.s2s.policy, FederationPolicy::kAllowlist);
  EXPECT_EQ(c.s2s.allow, (std::vector<std::string>{"sametime.test", "prosody.test"}));
  ASSERT_EQ(c.s2s.peers.size(), 2u);
  EXPECT_EQ(c.s2s.peers[0].domain, "sametime.test");
  EXPECT_EQ(c.s2s.peers[0].profile, XmppPeerProfile::kSametime);
  EXPECT_EQ(c.s2s.peers[1].profile, XmppPeerProfile::kWebex);
  ASSERT_EQ(c.s2s.routes.size(), 1u);
  EXPECT_EQ(c.s2s.routes[0].domain, "prosody.test");
  EXPECT_EQ(toString(c.s2s.routes[0].address), "127.0.0.2:5269");
  ASSERT_EQ(c.sip.listen.size(), 3u);
  EXPECT_EQ(c.sip.listen[2].transport, SipTransport::kUdp);
  ASSERT_EQ(c.sip.federatedDomains.size(), 2u);
  EXPECT_EQ(c.sip.federatedDomains[0].profile, SipProfile::kLync);
  ASSERT_TRUE(c.sip.federatedDomains[0].route);
  EXPECT_EQ(toString(*c.sip.federatedDomains[0].route), "tls://127.0.0.10:5061");
  EXPECT_EQ(c.sip.federatedDomains[1].profile, SipProfile::kOcs);
  EXPECT_FALSE(c.sip.federatedDomains[1].route);
}

TEST_F(ConfigTest, TheShippedExampleLoads) {
  auto example = std::filesystem::path(IMPD_SOURCE_DIR) / "etc" / "impd.example.toml";
  auto loaded = load(example);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->server.domains, std::vector<std::string>{"imp.test"});
  EXPECT_EQ(loaded->server.dataDir,
            (std::filesystem::path(IMPD_SOURCE_DIR) / "var").lexically_normal());
  EXPECT_TRUE(loaded->tls.certificate.empty());  // self-signed
  EXPECT_EQ(toString(loaded->c2s.listen.at(0)), "127.0.0.1:5222");
  EXPECT_EQ(toString(loaded->c2s.directTlsListen.at(0)), "127.0.0.1:5223");
  EXPECT_EQ(toString(loaded->s2s.listen.at(0)), "127.0.0.1:5269");
  EXPECT_EQ(loaded->adminListen, "127.0.0.1:5280");
}

TEST_F(ConfigTest, RelativePathsResolveAgainstTheConfigFilesFolder) {
  write("conf/tls/cert.pem", "x");
  write("conf/tls/key.pem", "x");
  auto file = write("conf/impd.toml", std::string(kMinimal) +
                                          "data_dir = \"../data\"\n"
                                          "[tls]\ncertificate = \"tls/cert.pem\"\n"
                                          "key = \"" +
                                          (dir_ / "conf/tls/key.pem").string() + "\"\n");
  auto loaded = load(file);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->server.dataDir, dir_ / "data");
  EXPECT_EQ(loaded->tls.certificate, dir_ / "conf" / "tls" / "cert.pem");
  EXPECT_EQ(loaded->tls.key, dir_ / "conf" / "tls" / "key.pem");
}

TEST_F(ConfigTest, DomainsArePreparedToLowerCaseULabels) {
  auto loaded = loadText("[server]\ndomains = [\"IMP.Test\", \"xn--bcher-kva.test\"]\n");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->server.domains, (std::vector<std::string>{"imp.test", "bücher.test"}));
}

TEST_F(ConfigTest, PortZeroIsAllowedForListenersOnly) {
  auto loaded = loadText(std::string(kMinimal) +
                         "[xmpp.c2s]\nlisten = [\"127.0.0.1:0\"]\n"
                         "[xmpp.s2s]\nlisten = [\"127.0.0.1:0\"]\n");
  ASSERT_TRUE(loaded) << loaded.error().message;  // two port-0 listeners never collide
  EXPECT_EQ(loaded->c2s.listen.at(0).port, 0);
}

TEST_F(ConfigTest, SipRouteWithoutPortGetsTheTransportDefault) {
  auto loaded =
      loadText(std::string(kMinimal) +
               "[[sip.federated_domain]]\ndomain = \"lync.test\"\n"
               "route = \"tls://edge.lync.test\"\n"
               "[[sip.federated_domain]]\ndomain = \"sip.test\"\nroute = \"tcp://10.0.0.1\"\n");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(toString(*loaded->sip.federatedDomains[0].route), "tls://edge.lync.test:5061");
  EXPECT_EQ(toString(*loaded->sip.federatedDomains[1].route), "tcp://10.0.0.1:5060");
  EXPECT_EQ(loaded->sip.federatedDomains[0].profile, SipProfile::kGeneric);
}

TEST_F(ConfigTest, DisabledS2sMayListenWhereSipDoes) {
  // A disabled subsystem's listeners are not opened, so they cannot collide.
  auto loaded = loadText(std::string(kMinimal) +
                         "[xmpp.s2s]\nenabled = false\nlisten = [\"127.0.0.1:5060\"]\n");
  ASSERT_TRUE(loaded) << loaded.error().message;
}

TEST_F(ConfigTest, DescribeKeysListsEveryKeyOnceWithADoc) {
  auto docs = describeKeys();
  std::set<std::string> keys;
  for (const KeyDoc& d : docs) {
    EXPECT_TRUE(keys.insert(d.key).second) << d.key;
    EXPECT_FALSE(d.doc.empty()) << d.key;
    EXPECT_FALSE(d.type.empty()) << d.key;
  }
  for (const char* k : {"server.domains",
                        "server.node",
                        "server.data_dir",
                        "server.log_level",
                        "storage.backend",
                        "storage.url",
                        "tls.certificate",
                        "tls.key",
                        "tls.ca_file",
                        "dns.servers",
                        "xmpp.c2s.listen",
                        "xmpp.c2s.tls",
                        "xmpp.c2s.direct_tls",
                        "xmpp.c2s.max_stanza_bytes",
                        "xmpp.c2s.offline_limit",
                        "xmpp.s2s.enabled",
                        "xmpp.s2s.dialback_secret",
                        "xmpp.s2s.policy",
                        "xmpp.s2s.peer[].domain",
                        "xmpp.s2s.peer[].profile",
                        "xmpp.s2s.route[].address",
                        "sip.listen",
                        "sip.federated_domain[].route",
                        "sip.im_idle_timeout",
                        "admin.listen"}) {
    EXPECT_TRUE(keys.count(k)) << k;
  }
  EXPECT_EQ(keys.size(), 44u);
  auto tls =
      std::find_if(docs.begin(), docs.end(), [](auto& d) { return d.key == "xmpp.c2s.tls"; });
  EXPECT_EQ(tls->fallback, "\"required\"");
  EXPECT_EQ(tls->type, "string: required | optional");
}

}  // namespace
}  // namespace impd::config::testing
