// Files that do not load because of one key: syntax, unknown keys, types, bounds, enums,
// addresses, domains, files. Each message is "<file>: <key>: <problem>".
#include "config_fixture.h"

namespace impd::config::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST_F(ConfigTest, AMissingFileIsNamed) {
  auto loaded = load(dir_ / "absent.toml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().condition, "bad-config");
  EXPECT_THAT(loaded.error().message,
              StartsWith((dir_ / "absent.toml").string() + ": cannot read"));
}

TEST_F(ConfigTest, AFolderIsNotAConfigFile) {
  EXPECT_THAT(load(dir_).error().message, HasSubstr("is a directory"));
}

TEST_F(ConfigTest, SyntaxErrorsNameFileLineAndColumn) {
  std::string message = errorOf("[server]\ndomains = [\"imp.test\"]\nnode = \n");
  EXPECT_THAT(message, StartsWith((dir_ / "impd.toml").string() + ":3:"));
  message = errorOf("[server]\ndomains = [\"imp.test\"]\n[server]\n");
  EXPECT_THAT(message, StartsWith((dir_ / "impd.toml").string() + ":3:"));
}

TEST_F(ConfigTest, TheMessageFormatIsFileKeyProblem) {
  EXPECT_EQ(errorOf(withMinimal("[xmpp.c2s]\ntls = \"sometimes\"\n")),
            (dir_ / "impd.toml").string() +
                ": xmpp.c2s.tls: must be one of required, optional (got \"sometimes\")");
}

TEST_F(ConfigTest, UnknownKeysAreErrorsAtEveryLevel) {
  EXPECT_THAT(problemOf(withMinimal("[srever]\n")), StartsWith("srever: unknown key"));
  EXPECT_THAT(problemOf(withMinimal("domain = \"x\"\n")), StartsWith("server.domain: unknown key"));
  EXPECT_THAT(problemOf(withMinimal("[xmpp.c2s]\nlisten_on = []\n")),
              StartsWith("xmpp.c2s.listen_on: unknown key (expected one of: listen,"));
  EXPECT_THAT(problemOf(withMinimal("[xmpp.c3s]\n")), StartsWith("xmpp.c3s: unknown key"));
  EXPECT_THAT(problemOf(withMinimal("[[xmpp.s2s.peer]]\ndomain = \"a.test\"\nprofil = \"x\"\n")),
              StartsWith("xmpp.s2s.peer[0].profil: unknown key"));
  EXPECT_THAT(problemOf(withMinimal("[[sip.federated_domain]]\ndomain = \"a.test\"\nx = 1\n")),
              StartsWith("sip.federated_domain[0].x: unknown key"));
  EXPECT_THAT(problemOf(withMinimal("[admin]\nport = 1\n")), StartsWith("admin.port: unknown key"));
}

TEST_F(ConfigTest, WrongTomlTypesAreNamed) {
  EXPECT_EQ(problemOf("[server]\ndomains = \"imp.test\"\n"),
            "server.domains: must be an array (got a string)");
  EXPECT_EQ(problemOf("[server]\ndomains = [1]\n"),
            "server.domains[0]: must be a string (got an integer)");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.c2s]\nkeepalive = \"60\"\n")),
            "xmpp.c2s.keepalive: must be an integer (got a string)");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.c2s]\nkeepalive = 1.5\n")),
            "xmpp.c2s.keepalive: must be an integer (got a float)");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\nenabled = \"yes\"\n")),
            "xmpp.s2s.enabled: must be true or false (got a string)");
  EXPECT_EQ(problemOf(withMinimal("xmpp = 1\n")),
            "server.xmpp: unknown key (expected one of: domains, node, data_dir, log_level)");
  EXPECT_EQ(problemOf(std::string("xmpp = 1\n") + kMinimal),
            "xmpp: must be a table (got an integer)");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\npeer = 1\n")),
            "xmpp.s2s.peer: must be an array (got an integer)");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\npeer = [1]\n")),
            "xmpp.s2s.peer[0]: must be a table (got an integer)");
}

TEST_F(ConfigTest, IntegersOutsideTheirBoundsAreRefused) {
  EXPECT_EQ(problemOf(withMinimal("[xmpp.c2s]\nmax_stanza_bytes = 9999\n")),
            "xmpp.c2s.max_stanza_bytes: must be between 10000 and 16777216 (got 9999)");
  for (const char* key :
       {"max_connections_per_ip", "connect_rate_per_ip", "auth_failures_before_close",
        "auth_failures_per_ip_per_minute", "bytes_per_second", "idle_timeout",
        "negotiation_timeout", "keepalive", "sm_resume_timeout"}) {
    EXPECT_THAT(problemOf(withMinimal(std::string("[xmpp.c2s]\n") + key + " = 0\n")),
                StartsWith(std::string("xmpp.c2s.") + key + ": must be between"));
  }
  EXPECT_THAT(problemOf(withMinimal("[xmpp.c2s]\noffline_limit = -1\n")),
              StartsWith("xmpp.c2s.offline_limit: must be between 0 and"));
  EXPECT_THAT(problemOf(withMinimal("[xmpp.c2s]\nkeepalive = 9223372036854775807\n")),
              StartsWith("xmpp.c2s.keepalive: must be between 1 and 3600"));
}

TEST_F(ConfigTest, EnumsListTheirChoices) {
  EXPECT_EQ(problemOf(withMinimal("log_level = \"loud\"\n")),
            "server.log_level: must be one of trace, debug, info, warn, error, critical, off "
            "(got \"loud\")");
  EXPECT_EQ(problemOf(withMinimal("[storage]\nbackend = \"mysql\"\n")),
            "storage.backend: must be one of sqlite, postgresql (got \"mysql\")");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\ntls = \"required \"\n")),
            "xmpp.s2s.tls: must be one of disabled, optional, required (got \"required \")");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\npolicy = \"closed\"\n")),
            "xmpp.s2s.policy: must be one of open, allowlist, denylist (got \"closed\")");
  EXPECT_EQ(
      problemOf(withMinimal("[[xmpp.s2s.peer]]\ndomain = \"a.test\"\nprofile = \"lync\"\n")),
      "xmpp.s2s.peer[0].profile: must be one of sametime, webex, impd, generic (got \"lync\")");
  EXPECT_EQ(problemOf(withMinimal(
                "[[sip.federated_domain]]\ndomain = \"a.test\"\nprofile = \"webex\"\n")),
            "sip.federated_domain[0].profile: must be one of lync, ocs, generic (got \"webex\")");
}

TEST_F(ConfigTest, DomainsMustBeValidAndListedOnce) {
  EXPECT_EQ(problemOf("[server]\nnode = \"n\"\n"), "server.domains: is required");
  EXPECT_EQ(problemOf("[server]\ndomains = []\n"), "server.domains: must list at least one domain");
  EXPECT_EQ(problemOf("[server]\ndomains = [\"\"]\n"), "server.domains[0]: must not be empty");
  EXPECT_THAT(problemOf("[server]\ndomains = [\"imp.test\", \"bad domain!\"]\n"),
              StartsWith("server.domains[1]: not a valid domain: \"bad domain!\""));
  EXPECT_EQ(problemOf("[server]\ndomains = [\"imp.test\", \"IMP.test\"]\n"),
            "server.domains[1]: \"imp.test\" is listed twice");
  EXPECT_EQ(problemOf(withMinimal(
                "[xmpp.s2s]\npolicy = \"denylist\"\ndeny = [\"a.test\", \"a.test\"]\n")),
            "xmpp.s2s.deny[1]: \"a.test\" is listed twice");
  EXPECT_EQ(problemOf(withMinimal("[[xmpp.s2s.peer]]\nprofile = \"webex\"\n")),
            "xmpp.s2s.peer[0].domain: is required");
  EXPECT_EQ(problemOf(withMinimal("[[xmpp.s2s.route]]\ndomain = \"a.test\"\n")),
            "xmpp.s2s.route[0].address: is required");
}

TEST_F(ConfigTest, NodeNamesAreShortAndPlain) {
  EXPECT_EQ(problemOf(withMinimal("node = \"\"\n")), "server.node: must be 1 to 64 characters");
  EXPECT_THAT(problemOf(withMinimal("node = \"node 1\"\n")),
              StartsWith("server.node: may hold only"));
}

TEST_F(ConfigTest, AddressesAreHostColonPort) {
  EXPECT_EQ(problemOf(withMinimal("[xmpp.c2s]\nlisten = [\"127.0.0.1\"]\n")),
            "xmpp.c2s.listen[0]: expected host:port (got \"127.0.0.1\")");
  EXPECT_THAT(problemOf(withMinimal("[xmpp.c2s]\nlisten = [\"::1:5222\"]\n")),
              StartsWith("xmpp.c2s.listen[0]: write IPv6 addresses in brackets"));
  EXPECT_THAT(problemOf(withMinimal("[xmpp.c2s]\ndirect_tls = [\"[::g]:5223\"]\n")),
              StartsWith("xmpp.c2s.direct_tls[0]: not an IPv6 address"));
  EXPECT_THAT(problemOf(withMinimal("[xmpp.s2s]\nlisten = [\"127.0.0.1:70000\"]\n")),
              StartsWith("xmpp.s2s.listen[0]: port must be a number from 0 to 65535"));
  EXPECT_THAT(problemOf(withMinimal("[admin]\nlisten = \"local host:80\"\n")),
              StartsWith("admin.listen: not a host name or IP address"));
  EXPECT_EQ(problemOf(withMinimal("[dns]\nservers = [\"127.0.0.1:0\"]\n")),
            "dns.servers[0]: port 0 is only meaningful for a listener");
  EXPECT_EQ(problemOf(withMinimal("[dns]\nservers = [\"ns.example.test:53\"]\n")),
            "dns.servers[0]: must be an IP address: the resolver cannot look up its own server");
  EXPECT_EQ(
      problemOf(withMinimal("[[xmpp.s2s.route]]\ndomain = \"a.test\"\naddress = \"a.test:0\"\n")),
      "xmpp.s2s.route[0].address: port 0 is only meaningful for a listener");
}

TEST_F(ConfigTest, SipAddressesNameTheirTransport) {
  EXPECT_THAT(problemOf(withMinimal("[sip]\nlisten = [\"127.0.0.1:5060\"]\n")),
              StartsWith("sip.listen[0]: expected transport://host:port"));
  EXPECT_EQ(problemOf(withMinimal("[sip]\nlisten = [\"sctp://127.0.0.1:5060\"]\n")),
            "sip.listen[0]: transport must be one of tls, tcp, udp (got \"sctp\")");
  EXPECT_THAT(problemOf(withMinimal("[sip]\nlisten = [\"tls://127.0.0.1\"]\n")),
              StartsWith("sip.listen[0]: expected host:port"));
  EXPECT_THAT(problemOf(withMinimal(
                  "[[sip.federated_domain]]\ndomain = \"l.test\"\nroute = \"tls://[::1\"\n")),
              StartsWith("sip.federated_domain[0].route: unclosed '['"));
}

TEST_F(ConfigTest, FilesMustExistWhenNamed) {
  write("cert.pem", "x");
  EXPECT_EQ(problemOf(withMinimal("[tls]\ncertificate = \"cert.pem\"\nkey = \"missing.key\"\n")),
            "tls.key: no such file: " + (dir_ / "missing.key").string());
  EXPECT_EQ(problemOf(withMinimal("[tls]\nca_file = \"ca.pem\"\n")),
            "tls.ca_file: no such file: " + (dir_ / "ca.pem").string());
  EXPECT_EQ(problemOf(withMinimal("[tls]\ncertificate = \"\"\n")),
            "tls.certificate: must not be empty (leave the key out instead)");
}

}  // namespace
}  // namespace impd::config::testing
