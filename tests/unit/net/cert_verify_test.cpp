#include <gtest/gtest.h>

#include <ctime>

#include "net/cert_identity.h"
#include "test_pki.h"

namespace impd::net {
namespace {

using test::CertSpec;
using test::Issued;

class VerifyChainTest : public ::testing::Test {
 protected:
  Issued leaf(std::string eku, long notBefore = -1, long notAfter = 30) {
    CertSpec spec;
    spec.commonName = "prosody.test";
    spec.san = {{test::SanType::kDns, "prosody.test"}};
    spec.extendedKeyUsage = std::move(eku);
    spec.notBeforeDays = notBefore;
    spec.notAfterDays = notAfter;
    return test::issue(spec, ca_);
  }
  Result<void> verify(X509* cert, PeerRole role, STACK_OF(X509) * chain = nullptr) {
    return verifyChain(cert, chain, trust_.get(), role);
  }

  static test::CertSpec longLivedCa() {
    auto spec = test::caSpec("Test CA");
    spec.notBeforeDays = -60;  // so that a time 10 days back can be checked too
    return spec;
  }
  Issued ca_ = test::selfSigned(longLivedCa());
  test::StorePtr trust_ = test::trustOnly(ca_.cert.get());
};

TEST_F(VerifyChainTest, LeafOfTrustedCa) {
  auto cert = leaf("serverAuth,clientAuth");
  EXPECT_TRUE(verify(cert.cert.get(), PeerRole::kServer).ok());
  EXPECT_TRUE(verify(cert.cert.get(), PeerRole::kClient).ok());
  auto noEku = leaf("");
  EXPECT_TRUE(verify(noEku.cert.get(), PeerRole::kServer).ok());
  EXPECT_TRUE(verify(noEku.cert.get(), PeerRole::kClient).ok());
}

TEST_F(VerifyChainTest, ThroughAnIntermediateTheCallerPasses) {
  Issued intermediate = test::issue(test::caSpec("Intermediate"), ca_);
  CertSpec spec;
  spec.extendedKeyUsage = "serverAuth";
  Issued cert = test::issue(spec, intermediate);
  auto chain = test::chainOf({intermediate.cert.get()});
  EXPECT_TRUE(verify(cert.cert.get(), PeerRole::kServer, chain.get()).ok());
  auto missing = verify(cert.cert.get(), PeerRole::kServer);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().condition, kCertUntrusted);
  EXPECT_NE(missing.error().message.find("local issuer"), std::string::npos)
      << missing.error().message;
  // The chain may also hold the leaf itself, as SSL_get_peer_cert_chain() does on a client.
  auto withLeaf = test::chainOf({cert.cert.get(), intermediate.cert.get()});
  EXPECT_TRUE(verify(cert.cert.get(), PeerRole::kServer, withLeaf.get()).ok());
}

TEST_F(VerifyChainTest, Expired) {
  auto cert = leaf("serverAuth", -30, -1);
  auto r = verify(cert.cert.get(), PeerRole::kServer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().condition, kCertUntrusted);
  EXPECT_NE(r.error().message.find("expired"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("depth 0"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("prosody.test"), std::string::npos) << r.error().message;
  // Checked at a time inside its validity, it is fine.
  EXPECT_TRUE(verifyChain(cert.cert.get(), nullptr, trust_.get(), PeerRole::kServer,
                          std::time(nullptr) - 10 * 86400)
                  .ok());
}

TEST_F(VerifyChainTest, NotYetValid) {
  auto cert = leaf("serverAuth", 2, 30);
  auto r = verify(cert.cert.get(), PeerRole::kServer);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not yet valid"), std::string::npos) << r.error().message;
}

TEST_F(VerifyChainTest, UnknownIssuerOrSelfSigned) {
  Issued otherCa = test::selfSigned(test::caSpec("Other CA"));
  Issued stranger = test::issue(test::leafSpec("stranger", "serverAuth"), otherCa);
  EXPECT_FALSE(verify(stranger.cert.get(), PeerRole::kServer).ok());
  Issued self = test::selfSigned(test::leafSpec("prosody.test"));
  auto r = verify(self.cert.get(), PeerRole::kClient);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("self-signed"), std::string::npos) << r.error().message;
}

TEST_F(VerifyChainTest, ServerAuthOnlyIsAcceptedFromAPeerActingAsClient) {
  auto cert = leaf("serverAuth");
  EXPECT_TRUE(verify(cert.cert.get(), PeerRole::kServer).ok());
  EXPECT_TRUE(verify(cert.cert.get(), PeerRole::kClient).ok());
}

TEST_F(VerifyChainTest, ClientAuthOnlyIsNotAServerCertificate) {
  auto cert = leaf("clientAuth");
  auto r = verify(cert.cert.get(), PeerRole::kServer);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("purpose"), std::string::npos) << r.error().message;
  EXPECT_TRUE(verify(cert.cert.get(), PeerRole::kClient).ok());
}

TEST_F(VerifyChainTest, UnrelatedUsageIsRefusedInBothRoles) {
  auto cert = leaf("emailProtection");
  EXPECT_FALSE(verify(cert.cert.get(), PeerRole::kServer).ok());
  EXPECT_FALSE(verify(cert.cert.get(), PeerRole::kClient).ok());
}

TEST_F(VerifyChainTest, ServerAuthOnlyIntermediateIsAcceptedForAClient) {
  auto serverCa = test::caSpec("Server CA");
  serverCa.extendedKeyUsage = "serverAuth";
  Issued intermediate = test::issue(serverCa, ca_);
  Issued cert = test::issue(test::leafSpec("peer", "serverAuth"), intermediate);
  auto chain = test::chainOf({intermediate.cert.get()});
  EXPECT_TRUE(verify(cert.cert.get(), PeerRole::kClient, chain.get()).ok());
}

TEST_F(VerifyChainTest, ALeafCannotIssue) {
  Issued notCa = leaf("serverAuth");
  Issued cert = test::issue(test::leafSpec("peer", "serverAuth"), notCa);
  auto chain = test::chainOf({notCa.cert.get()});
  EXPECT_FALSE(verify(cert.cert.get(), PeerRole::kServer, chain.get()).ok());
  EXPECT_FALSE(verify(cert.cert.get(), PeerRole::kClient, chain.get()).ok());
}

TEST_F(VerifyChainTest, MissingInputs) {
  auto cert = leaf("serverAuth");
  EXPECT_EQ(verifyChain(nullptr, nullptr, trust_.get()).error().condition, kCertUntrusted);
  EXPECT_EQ(verifyChain(cert.cert.get(), nullptr, nullptr).error().condition, kCertUntrusted);
}

}  // namespace
}  // namespace impd::net
