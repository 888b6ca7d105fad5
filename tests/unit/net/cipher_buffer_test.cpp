// The ciphertext buffer StreamSocket hands OpenSSL: its own bookkeeping, and a real TLS 1.3
// connection in memory run over two pairs of them, with ciphertext delivered a byte at a time
// so that OpenSSL keeps finding half a record.
#include "net/cipher_buffer.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "test_pki.h"

namespace impd::net {
namespace {

TEST(CipherBuffer, ConsumesFromTheFrontAndKeepsWhatIsLeftAcrossAppends) {
  CipherBuffer b;
  EXPECT_TRUE(b.empty());
  b.append("abcdef", 6);
  b.consume(4);
  EXPECT_EQ(std::string(b.data(), b.size()), "ef");
  b.append("gh", 2);  // the two bytes left move to the front first
  EXPECT_EQ(std::string(b.data(), b.size()), "efgh");
  b.consume(100);  // no more than there is
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.size(), 0u);
}

TEST(CipherBuffer, TakeHandsOverOnlyTheUnconsumedBytes) {
  CipherBuffer b;
  b.append("record", 6);
  EXPECT_EQ(b.take(), "record");
  EXPECT_TRUE(b.empty());
  b.append("xxrest", 6);
  b.consume(2);
  EXPECT_EQ(b.take(), "rest");
  EXPECT_TRUE(b.empty());
}

TEST(CipherBuffer, ReleaseFreesOnlyAnEmptyBufferThatGrewBeyondTheLimit) {
  CipherBuffer b;
  const std::string big(8192, 'x');
  b.append(big.data(), big.size());
  b.release(0);  // not empty: nothing may be lost
  EXPECT_EQ(b.size(), big.size());
  b.consume(big.size());
  EXPECT_GE(b.capacity(), big.size());  // kept for the next record
  b.release(big.size());                // not beyond the limit
  EXPECT_GE(b.capacity(), big.size());
  b.release(4096);
  EXPECT_LT(b.capacity(), 4096u);
  EXPECT_TRUE(b.empty());
  b.append("z", 1);  // and after releasing
  EXPECT_EQ(std::string(b.data(), b.size()), "z");
}

struct CtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;

// One end of the connection: an SSL object whose BIOs are the buffers of this object.
struct End {
  CipherBuffer in, out;
  SSL* ssl;
  explicit End(SSL_CTX* ctx) : ssl(SSL_new(ctx)) {
    SSL_set_bio(ssl, newCipherBio(in), newCipherBio(out));
  }
  ~End() { SSL_free(ssl); }
};

// Moves what `from` wrote to `to`, `step` bytes at a time, letting `to` act after each piece.
template <typename Act>
void trickle(End& from, End& to, std::size_t step, Act act) {
  const std::string bytes = from.out.take();
  for (std::size_t at = 0; at < bytes.size(); at += step) {
    to.in.append(bytes.data() + at, std::min(step, bytes.size() - at));
    act();
  }
}

class CipherBioTls : public ::testing::Test {
 protected:
  CipherBioTls() {
    server.reset(SSL_CTX_new(TLS_server_method()));
    SSL_CTX_use_certificate(server.get(), identity.cert.get());
    SSL_CTX_use_PrivateKey(server.get(), identity.key.get());
    client.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_min_proto_version(client.get(), TLS1_3_VERSION);
  }

  // Runs the handshake with every flight delivered a byte at a time.
  bool handshake(End& c, End& s) {
    SSL_set_connect_state(c.ssl);
    SSL_set_accept_state(s.ssl);
    for (int round = 0; round < 20; ++round) {
      const bool clientDone = SSL_do_handshake(c.ssl) == 1;
      trickle(c, s, 1, [&] { SSL_do_handshake(s.ssl); });
      const bool serverDone = SSL_do_handshake(s.ssl) == 1;
      trickle(s, c, 1, [&] { SSL_do_handshake(c.ssl); });
      if (clientDone && serverDone) return true;
    }
    return false;
  }

  test::Issued identity = test::selfSigned(test::leafSpec("imp.test"));
  CtxPtr server, client;
};

TEST_F(CipherBioTls, HandshakeAndDataSurviveRecordsArrivingInPieces) {
  End c(client.get()), s(server.get());
  ASSERT_TRUE(handshake(c, s));
  EXPECT_EQ(SSL_version(c.ssl), TLS1_3_VERSION);

  // More than one record's worth (16 KB each), in pieces that split records anywhere.
  std::string sent;
  for (int i = 0; sent.size() < 40000; ++i) sent += "<message id='" + std::to_string(i) + "'/>";
  ASSERT_EQ(SSL_write(c.ssl, sent.data(), static_cast<int>(sent.size())),
            static_cast<int>(sent.size()));
  EXPECT_GT(c.out.size(), sent.size());  // all of it encrypted into the buffer at once
  std::string got;
  char buffer[4096];
  trickle(c, s, 1000, [&] {
    for (;;) {
      const int n = SSL_read(s.ssl, buffer, sizeof buffer);
      if (n <= 0) {
        ASSERT_EQ(SSL_get_error(s.ssl, n), SSL_ERROR_WANT_READ);
        ERR_clear_error();
        return;
      }
      got.append(buffer, static_cast<std::size_t>(n));
    }
  });
  EXPECT_EQ(got, sent);
  EXPECT_TRUE(s.in.empty());

  // The other way, a record exactly as it was written.
  ASSERT_EQ(SSL_write(s.ssl, "<presence/>", 11), 11);
  const std::string record = s.out.take();
  c.in.append(record.data(), record.size());
  std::string reply;
  for (int n; (n = SSL_read(c.ssl, buffer, sizeof buffer)) > 0;)
    reply.append(buffer, static_cast<std::size_t>(n));
  ERR_clear_error();
  EXPECT_EQ(reply, "<presence/>");
}

TEST_F(CipherBioTls, AnEmptyInputIsWantReadNotEndOfStream) {
  End c(client.get()), s(server.get());
  ASSERT_TRUE(handshake(c, s));
  char buffer[64];
  const int n = SSL_read(s.ssl, buffer, sizeof buffer);
  EXPECT_LE(n, 0);
  EXPECT_EQ(SSL_get_error(s.ssl, n), SSL_ERROR_WANT_READ);
  ERR_clear_error();
}

}  // namespace
}  // namespace impd::net
