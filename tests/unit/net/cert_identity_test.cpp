#include "net/cert_identity.h"

#include <gtest/gtest.h>

#include "test_pki.h"

namespace impd::net {
namespace {

using test::CertSpec;
using test::San;
using test::SanType;

class CertIdentityTest : public ::testing::Test {
 protected:
  test::X509Ptr leaf(std::vector<San> san, std::string cn = "peer") {
    CertSpec spec;
    spec.commonName = std::move(cn);
    spec.san = std::move(san);
    return std::move(test::issue(spec, ca_).cert);
  }
  static San dns(std::string v) { return {SanType::kDns, std::move(v)}; }
  static San xmpp(std::string v) { return {SanType::kXmppAddr, std::move(v)}; }
  static San srv(std::string v) { return {SanType::kSrvName, std::move(v)}; }
  static IdentityOptions service(std::string_view name) {
    IdentityOptions o;
    o.service = name;
    return o;
  }
  static IdentityOptions withCommonName() {
    IdentityOptions o;
    o.commonNameFallback = true;
    return o;
  }
  static IdentityOptions ascii(std::string_view domain) {
    IdentityOptions o;
    o.asciiDomain = domain;
    return o;
  }

  test::Issued ca_ = test::selfSigned(test::caSpec("Test CA"));
};

TEST_F(CertIdentityTest, XmppAddr) {
  auto cert = leaf({xmpp("prosody.test")});
  auto m = matchServiceIdentity(cert.get(), "prosody.test");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->kind, IdentityKind::kXmppAddr);
  EXPECT_EQ(m->presented, "prosody.test");
  EXPECT_EQ(identityKindName(m->kind), "xmppAddr");
  EXPECT_TRUE(matchServiceIdentity(leaf({xmpp("Prosody.TEST")}).get(), "prosody.test").ok());
}

TEST_F(CertIdentityTest, XmppAddrTakesNoWildcard) {
  EXPECT_FALSE(matchServiceIdentity(leaf({xmpp("*.prosody.test")}).get(), "a.prosody.test").ok());
}

TEST_F(CertIdentityTest, SrvId) {
  auto m = matchServiceIdentity(leaf({srv("_xmpp-server.prosody.test")}).get(), "prosody.test");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->kind, IdentityKind::kSrvId);
  EXPECT_EQ(m->presented, "_xmpp-server.prosody.test");
  EXPECT_TRUE(
      matchServiceIdentity(leaf({srv("_xmpp-server.*.example.test")}).get(), "chat.example.test")
          .ok());
}

TEST_F(CertIdentityTest, SrvIdOfAnotherServiceDoesNotCount) {
  auto cert = leaf({srv("_xmpp-client.prosody.test")});
  EXPECT_FALSE(matchServiceIdentity(cert.get(), "prosody.test").ok());
  EXPECT_TRUE(matchServiceIdentity(cert.get(), "prosody.test", service("xmpp-client")).ok());
  EXPECT_FALSE(
      matchServiceIdentity(leaf({srv("_xmpp-serverprosody.test")}).get(), "prosody.test").ok());
}

TEST_F(CertIdentityTest, DnsId) {
  auto m =
      matchServiceIdentity(leaf({dns("other.test"), dns("Prosody.Test.")}).get(), "prosody.test");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->kind, IdentityKind::kDnsId);
  EXPECT_EQ(m->presented, "Prosody.Test.");
}

TEST_F(CertIdentityTest, WildcardCoversExactlyOneLeftMostLabel) {
  auto cert = leaf({dns("*.prosody.test")});
  auto m = matchServiceIdentity(cert.get(), "conference.prosody.test");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->presented, "*.prosody.test");
  EXPECT_FALSE(matchServiceIdentity(cert.get(), "prosody.test").ok());
  EXPECT_FALSE(matchServiceIdentity(cert.get(), "a.b.prosody.test").ok());
  EXPECT_FALSE(matchServiceIdentity(cert.get(), "conference.other.test").ok());
}

TEST_F(CertIdentityTest, OtherWildcardFormsAreRefused) {
  EXPECT_FALSE(
      matchServiceIdentity(leaf({dns("c*.prosody.test")}).get(), "conf.prosody.test").ok());
  EXPECT_FALSE(matchServiceIdentity(leaf({dns("*")}).get(), "prosody").ok());
  EXPECT_FALSE(matchServiceIdentity(leaf({dns("*.test")}).get(), "prosody.test").ok());
  EXPECT_FALSE(matchServiceIdentity(leaf({dns("a.*.test")}).get(), "a.prosody.test").ok());
  EXPECT_FALSE(matchServiceIdentity(leaf({dns("*.*.test")}).get(), "a.prosody.test").ok());
}

TEST_F(CertIdentityTest, WrongDomainSaysWhatTheCertificateNames) {
  auto m = matchServiceIdentity(leaf({dns("imp.test"), xmpp("imp.test")}).get(), "prosody.test");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().condition, kCertIdentityMismatch);
  EXPECT_NE(m.error().message.find("prosody.test"), std::string::npos);
  EXPECT_NE(m.error().message.find("DNS-ID:imp.test"), std::string::npos) << m.error().message;
  EXPECT_NE(m.error().message.find("xmppAddr:imp.test"), std::string::npos);
}

TEST_F(CertIdentityTest, SubdomainsAreDifferentDomains) {
  EXPECT_FALSE(matchServiceIdentity(leaf({dns("example.test")}).get(), "imp.example.test").ok());
  EXPECT_FALSE(matchServiceIdentity(leaf({dns("imp.example.test")}).get(), "example.test").ok());
  EXPECT_FALSE(matchServiceIdentity(leaf({dns("a.example.test")}).get(), "b.example.test").ok());
}

TEST_F(CertIdentityTest, XmppAddrIsPreferredAndReported) {
  auto m = matchServiceIdentity(
      leaf({dns("prosody.test"), srv("_xmpp-server.prosody.test"), xmpp("prosody.test")}).get(),
      "prosody.test");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->kind, IdentityKind::kXmppAddr);
  auto s = matchServiceIdentity(leaf({dns("prosody.test"), srv("_xmpp-server.prosody.test")}).get(),
                                "prosody.test");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->kind, IdentityKind::kSrvId);
}

TEST_F(CertIdentityTest, CommonNameOnlyWhenAskedForAndNoSanAtAll) {
  auto cnOnly = leaf({}, "prosody.test");
  EXPECT_FALSE(matchServiceIdentity(cnOnly.get(), "prosody.test").ok());
  auto m = matchServiceIdentity(cnOnly.get(), "prosody.test", withCommonName());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->kind, IdentityKind::kCommonName);
  // Any subjectAltName at all switches the CN off, even one naming something else.
  auto withSan = leaf({dns("other.test")}, "prosody.test");
  EXPECT_FALSE(matchServiceIdentity(withSan.get(), "prosody.test", withCommonName()).ok());
}

TEST_F(CertIdentityTest, EmbeddedNulNeverMatches) {
  using namespace std::string_literals;
  auto cert = leaf({dns("prosody.test\0.evil.test"s), xmpp("prosody.test\0.evil.test"s)});
  EXPECT_FALSE(matchServiceIdentity(cert.get(), "prosody.test").ok());
  EXPECT_FALSE(matchServiceIdentity(cert.get(), "prosody.test.evil.test").ok());
}

TEST_F(CertIdentityTest, InternationalDomain) {
  // The JID keeps U-labels (xmppAddr is UTF-8); dNSName carries the A-label.
  const std::string unicode =
      "b\xC3\xBC"
      "cher.test";  // bücher.test
  EXPECT_TRUE(matchServiceIdentity(leaf({xmpp(unicode)}).get(), unicode).ok());
  auto dnsOnly = leaf({dns("xn--bcher-kva.test")});
  EXPECT_FALSE(matchServiceIdentity(dnsOnly.get(), unicode).ok());
  auto m = matchServiceIdentity(dnsOnly.get(), unicode, ascii("xn--bcher-kva.test"));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->kind, IdentityKind::kDnsId);
}

TEST_F(CertIdentityTest, NoCertificate) {
  auto m = matchServiceIdentity(nullptr, "prosody.test");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().condition, kCertIdentityMismatch);
}

}  // namespace
}  // namespace impd::net
