// A real TLS handshake in memory (BIO pair): a peer server connects to us presenting its
// server certificate, whose extendedKeyUsage lists serverAuth only.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net/cert_identity.h"
#include "test_pki.h"

namespace impd::net {
namespace {

using test::Issued;

struct CtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
struct SslFree {
  void operator()(SSL* p) const { SSL_free(p); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

class InboundPeerTlsTest : public ::testing::Test {
 protected:
  CtxPtr context(const SSL_METHOD* method, const Issued& identity) {
    CtxPtr ctx(SSL_CTX_new(method));
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    SSL_CTX_use_certificate(ctx.get(), identity.cert.get());
    SSL_CTX_use_PrivateKey(ctx.get(), identity.key.get());
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), ca_.cert.get());
    return ctx;
  }

  // Runs both sides until each finishes or one fails; true when both finished.
  static bool handshake(SSL* client, SSL* server) {
    const auto failed = [](SSL* ssl, int rc) {
      const int e = SSL_get_error(ssl, rc);
      return rc != 1 && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE;
    };
    for (int round = 0; round < 50; ++round) {
      const int c = SSL_do_handshake(client);
      if (failed(client, c)) return false;
      const int s = SSL_do_handshake(server);
      if (failed(server, s)) return false;
      if (c == 1 && s == 1) return true;
    }
    return false;
  }

  // Connects "prosody.test" (client side) to us ("imp.test", server side).
  bool connect(int (*verifyCallback)(int, X509_STORE_CTX*), int version) {
    serverCtx_ = context(TLS_server_method(), us_);
    clientCtx_ = context(TLS_client_method(), peer_);
    SSL_CTX_set_max_proto_version(serverCtx_.get(), version);
    SSL_CTX_set_verify(serverCtx_.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       verifyCallback);
    server_.reset(SSL_new(serverCtx_.get()));
    client_.reset(SSL_new(clientCtx_.get()));
    BIO* serverBio = nullptr;
    BIO* clientBio = nullptr;
    BIO_new_bio_pair(&serverBio, 0, &clientBio, 0);
    SSL_set_bio(server_.get(), serverBio, serverBio);
    SSL_set_bio(client_.get(), clientBio, clientBio);
    SSL_set_accept_state(server_.get());
    SSL_set_connect_state(client_.get());
    SSL_set_tlsext_host_name(client_.get(), "imp.test");
    const bool ok = handshake(client_.get(), server_.get());
    ERR_clear_error();
    return ok;
  }

  Issued ca_ = test::selfSigned(test::caSpec("Test CA"));
  Issued us_ = test::issue(
      test::leafSpec("imp.test", "serverAuth", {{test::SanType::kDns, "imp.test"}}), ca_);
  Issued peer_ = test::issue(
      test::leafSpec("prosody.test", "serverAuth", {{test::SanType::kDns, "prosody.test"}}), ca_);
  CtxPtr serverCtx_, clientCtx_;
  SslPtr server_, client_;
};

TEST_F(InboundPeerTlsTest, PlainOpenSslRefusesAServerAuthOnlyClientCertificate) {
  EXPECT_FALSE(connect(nullptr, TLS1_3_VERSION));
}

TEST_F(InboundPeerTlsTest, HelperAcceptsItOverTls13And12) {
  for (int version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
    ASSERT_TRUE(connect(&acceptServerAuthClient, version)) << "TLS version " << version;
    EXPECT_EQ(SSL_get_verify_result(server_.get()), X509_V_OK);

    // What the s2s code does next: check the chain again as a client and the stream's domain.
    X509* leaf = SSL_get0_peer_certificate(server_.get());
    ASSERT_NE(leaf, nullptr);
    EXPECT_TRUE(verifyChain(leaf, SSL_get_peer_cert_chain(server_.get()),
                            SSL_CTX_get_cert_store(serverCtx_.get()), PeerRole::kClient)
                    .ok());
    auto id = matchServiceIdentity(leaf, "prosody.test");
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_EQ(id->kind, IdentityKind::kDnsId);
  }
}

TEST_F(InboundPeerTlsTest, HelperStillRefusesAnUntrustedCertificate) {
  Issued otherCa = test::selfSigned(test::caSpec("Other CA"));
  peer_ = test::issue(test::leafSpec("prosody.test", "serverAuth"), otherCa);
  EXPECT_FALSE(connect(&acceptServerAuthClient, TLS1_3_VERSION));
}

TEST_F(InboundPeerTlsTest, HelperStillRefusesUnrelatedUsage) {
  peer_ = test::issue(test::leafSpec("prosody.test", "emailProtection"), ca_);
  EXPECT_FALSE(connect(&acceptServerAuthClient, TLS1_3_VERSION));
}

}  // namespace
}  // namespace impd::net
