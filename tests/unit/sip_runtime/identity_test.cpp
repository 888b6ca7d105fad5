// RFC 5922 domain identities of peer certificates.
#include "sip/peer_identity.h"

#include <gtest/gtest.h>

#include "test_certs.h"

namespace impd::sip {
namespace {

using test::certificate;
using test::dns;
using test::uri;

std::optional<std::string> match(X509* cert, std::string_view domain) {
  return matchSipDomain(extractIdentities(cert), domain);
}

TEST(PeerIdentity, SipUriNamesItsHost) {
  auto cert = certificate("edge.lync.test", {uri("sip:lync.test")});
  EXPECT_EQ(match(cert.get(), "lync.test"), "URI:sip:lync.test");
  EXPECT_EQ(match(cert.get(), "LYNC.Test."), "URI:sip:lync.test");
  EXPECT_FALSE(match(cert.get(), "edge.lync.test")) << "a SAN exists, so the CN does not count";
}

TEST(PeerIdentity, OnlySipUrisWithoutUserCount) {
  EXPECT_FALSE(match(certificate("x", {uri("sip:alice@lync.test")}).get(), "lync.test"));
  EXPECT_FALSE(match(certificate("x", {uri("sips:lync.test")}).get(), "lync.test"));
  EXPECT_FALSE(match(certificate("x", {uri("https://lync.test/")}).get(), "lync.test"));
  EXPECT_EQ(match(certificate("x", {uri("sip:lync.test;transport=tls")}).get(), "lync.test"),
            "URI:sip:lync.test");
}

TEST(PeerIdentity, DnsNameMatchesExactly) {
  auto cert = certificate("x", {dns("sip.lync.test"), dns("lync.test")});
  EXPECT_EQ(match(cert.get(), "lync.test"), "DNS:lync.test");
  EXPECT_EQ(match(cert.get(), "sip.lync.test"), "DNS:sip.lync.test");
  EXPECT_FALSE(match(cert.get(), "other.test"));
  EXPECT_FALSE(match(cert.get(), "a.lync.test"));
}

TEST(PeerIdentity, WildcardsAreNeverIdentities) {
  auto cert = certificate("*.lync.test", {dns("*.lync.test"), uri("sip:*.lync.test")});
  EXPECT_FALSE(match(cert.get(), "a.lync.test"));
  EXPECT_FALSE(match(cert.get(), "*.lync.test"));
  EXPECT_FALSE(match(certificate("*.lync.test", {}).get(), "a.lync.test")) << "not via the CN either";
}

TEST(PeerIdentity, CommonNameOnlyWithoutSubjectAltName) {
  EXPECT_EQ(match(certificate("lync.test", {}).get(), "lync.test"), "CN:lync.test");
  EXPECT_FALSE(match(certificate("lync.test", {dns("other.test")}).get(), "lync.test"));
  EXPECT_FALSE(match(certificate("", {}).get(), "lync.test"));
}

TEST(PeerIdentity, EmbeddedNulIsRefused) {
  std::string planted("lync.test\0.evil.test", 20);
  auto names = extractIdentities(certificate("x", {dns(planted), uri("sip:" + planted)}).get());
  EXPECT_TRUE(names.dnsNames.empty());
  EXPECT_TRUE(names.uriHosts.empty());
  EXPECT_TRUE(names.hasSan);
  EXPECT_FALSE(matchSipDomain(names, "lync.test"));
}

TEST(PeerIdentity, DescribeListsWhatIsPresented) {
  auto names = extractIdentities(certificate("cn.test", {uri("sip:a.test"), dns("b.test")}).get());
  EXPECT_EQ(describe(names), "URI:sip:a.test, DNS:b.test");
  EXPECT_EQ(describe(SipIdentities{}), "nothing usable");
}

TEST(PeerIdentity, CertifiesNeedsTrustAndName) {
  PeerCertificate cert;
  cert.names = extractIdentities(certificate("x", {dns("lync.test")}).get());
  EXPECT_FALSE(certifies(cert, "lync.test")) << "not presented";
  cert.presented = true;
  EXPECT_FALSE(certifies(cert, "lync.test")) << "not trusted";
  cert.trusted = true;
  EXPECT_TRUE(certifies(cert, "lync.test"));
  EXPECT_FALSE(certifies(cert, "other.test"));
}

}  // namespace
}  // namespace impd::sip
