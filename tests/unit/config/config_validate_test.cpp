// Files whose keys are each fine but contradict each other.
#include "config_fixture.h"

namespace impd::config::testing {
namespace {

using ::testing::StartsWith;

TEST_F(ConfigTest, PostgresqlNeedsAUrlAndOnlyPostgresqlTakesOne) {
  EXPECT_EQ(problemOf(withMinimal("[storage]\nbackend = \"postgresql\"\n")),
            "storage.url: is required with backend = \"postgresql\"");
  EXPECT_EQ(problemOf(withMinimal("[storage]\nurl = \"postgresql://x\"\n")),
            "storage.url: only used with backend = \"postgresql\" (backend is \"sqlite\")");
}

TEST_F(ConfigTest, CertificateAndKeyComeTogether) {
  write("cert.pem", "x");
  write("key.pem", "x");
  EXPECT_EQ(problemOf(withMinimal("[tls]\ncertificate = \"cert.pem\"\n")),
            "tls.key: must be set together with tls.certificate");
  EXPECT_EQ(problemOf(withMinimal("[tls]\nkey = \"key.pem\"\n")),
            "tls.certificate: must be set together with tls.key");
}

TEST_F(ConfigTest, DataDirMustNotBeAFile) {
  write("var", "not a folder");
  EXPECT_EQ(problemOf(kMinimal), "server.data_dir: not a directory: " + (dir_ / "var").string());
}

TEST_F(ConfigTest, AllowAndDenyListsNeedTheirPolicy) {
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\nallow = [\"a.test\"]\n")),
            "xmpp.s2s.allow: only used with policy = \"allowlist\" (policy is \"open\")");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\npolicy = \"allowlist\"\ndeny = [\"a.test\"]\n")),
            "xmpp.s2s.deny: only used with policy = \"denylist\" (policy is \"allowlist\")");
}

TEST_F(ConfigTest, S2sNeedsAWayToAuthenticatePeers) {
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\nsasl_external = false\ndialback = false\n")),
            "xmpp.s2s.dialback: sasl_external and dialback are both false, so no peer could "
            "authenticate");
  EXPECT_THAT(problemOf(withMinimal("[xmpp.s2s]\ntls = \"disabled\"\n")),
              StartsWith("xmpp.s2s.sasl_external: needs TLS"));
  // Disabled federation is not checked for coherence.
  EXPECT_TRUE(
      loadText(withMinimal("[xmpp.s2s]\nenabled = false\nsasl_external = false\n"
                           "dialback = false\n")));
  EXPECT_TRUE(loadText(withMinimal("[xmpp.s2s]\ntls = \"disabled\"\nsasl_external = false\n")));
}

TEST_F(ConfigTest, DialbackSecretsAreLongEnough) {
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\ndialback_secret = \"short\"\n")),
            "xmpp.s2s.dialback_secret: must be at least 16 characters");
}

TEST_F(ConfigTest, AFederatedDomainCannotBeLocal) {
  EXPECT_EQ(problemOf(withMinimal("[[xmpp.s2s.peer]]\ndomain = \"IMP.test\"\n")),
            "xmpp.s2s.peer[0].domain: \"imp.test\" is a local domain (server.domains)");
  EXPECT_EQ(
      problemOf(withMinimal("[[xmpp.s2s.route]]\ndomain = \"imp.test\"\naddress = \"h:1\"\n")),
      "xmpp.s2s.route[0].domain: \"imp.test\" is a local domain (server.domains)");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\npolicy = \"allowlist\"\nallow = [\"imp.test\"]\n")),
            "xmpp.s2s.allow[0]: \"imp.test\" is a local domain (server.domains)");
  EXPECT_EQ(problemOf(withMinimal("[xmpp.s2s]\npolicy = \"denylist\"\ndeny = [\"imp.test\"]\n")),
            "xmpp.s2s.deny[0]: \"imp.test\" is a local domain (server.domains)");
  EXPECT_EQ(problemOf(withMinimal("[[sip.federated_domain]]\ndomain = \"imp.test\"\n")),
            "sip.federated_domain[0].domain: \"imp.test\" is a local domain (server.domains)");
}

TEST_F(ConfigTest, AFederatedDomainIsListedOncePerTable) {
  EXPECT_EQ(problemOf(withMinimal("[[xmpp.s2s.peer]]\ndomain = \"a.test\"\n"
                                  "[[xmpp.s2s.peer]]\ndomain = \"A.test\"\n")),
            "xmpp.s2s.peer[1].domain: \"a.test\" is listed twice (also xmpp.s2s.peer[0].domain)");
  EXPECT_EQ(problemOf(withMinimal("[[xmpp.s2s.route]]\ndomain = \"a.test\"\naddress = \"h:1\"\n"
                                  "[[xmpp.s2s.route]]\ndomain = \"a.test\"\naddress = \"h:2\"\n")),
            "xmpp.s2s.route[1].domain: \"a.test\" is listed twice (also xmpp.s2s.route[0].domain)");
  EXPECT_EQ(problemOf(withMinimal("[[sip.federated_domain]]\ndomain = \"l.test\"\n"
                                  "[[sip.federated_domain]]\ndomain = \"l.test\"\n")),
            "sip.federated_domain[1].domain: \"l.test\" is listed twice (also "
            "sip.federated_domain[0].domain)");
  // A peer may also have a static route: they say different things about one domain.
  EXPECT_TRUE(
      loadText(withMinimal("[[xmpp.s2s.peer]]\ndomain = \"a.test\"\n"
                           "[[xmpp.s2s.route]]\ndomain = \"a.test\"\naddress = \"h:1\"\n")));
}

TEST_F(ConfigTest, ADomainFederatesOverSipOrXmppNotBoth) {
  const std::string sip = "[[sip.federated_domain]]\ndomain = \"both.test\"\n";
  EXPECT_EQ(problemOf(withMinimal("[[xmpp.s2s.peer]]\ndomain = \"both.test\"\n" + sip)),
            "sip.federated_domain[0].domain: \"both.test\" is also XMPP-federated "
            "(xmpp.s2s.peer[0].domain); a domain federates over SIP or XMPP, not both");
  EXPECT_THAT(problemOf(withMinimal(
                  "[[xmpp.s2s.route]]\ndomain = \"both.test\"\naddress = \"h:1\"\n" + sip)),
              StartsWith("sip.federated_domain[0].domain: \"both.test\" is also XMPP-federated "
                         "(xmpp.s2s.route[0].domain)"));
  EXPECT_THAT(
      problemOf(withMinimal("[xmpp.s2s]\npolicy = \"allowlist\"\nallow = [\"both.test\"]\n" + sip)),
      StartsWith("sip.federated_domain[0].domain: \"both.test\" is also XMPP-federated "
                 "(xmpp.s2s.allow[0])"));
  // Refusing XMPP federation to a SIP domain is consistent.
  EXPECT_TRUE(
      loadText(withMinimal("[xmpp.s2s]\npolicy = \"denylist\"\ndeny = [\"both.test\"]\n" + sip)));
}

TEST_F(ConfigTest, TwoListenersOnOneAddressAreNamed) {
  EXPECT_EQ(problemOf(withMinimal("[xmpp.c2s]\nlisten = [\"127.0.0.1:5222\"]\n"
                                  "direct_tls = [\"127.0.0.1:5222\"]\n")),
            "xmpp.c2s.direct_tls[0]: 127.0.0.1:5222 is already used by xmpp.c2s.listen[0]");
  EXPECT_EQ(problemOf(withMinimal("[admin]\nlisten = \"127.0.0.1:5269\"\n")),
            "admin.listen: 127.0.0.1:5269 is already used by xmpp.s2s.listen[0]");
  EXPECT_EQ(problemOf(withMinimal("[sip]\nlisten = [\"tcp://127.0.0.1:5222\"]\n")),
            "sip.listen[0]: 127.0.0.1:5222 is already used by xmpp.c2s.listen[0]");
  // UDP and TCP are separate port spaces.
  EXPECT_TRUE(
      loadText(withMinimal("[sip]\nlisten = [\"tcp://127.0.0.1:5060\", "
                           "\"udp://127.0.0.1:5060\"]\n")));
}

}  // namespace
}  // namespace impd::config::testing
