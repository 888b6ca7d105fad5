// The client side of SCRAM, against RFC 7677's published exchange and against our server.
#include "codec/xmpp/scram_client.h"

#include <gtest/gtest.h>

#include "base/fake_random.h"

namespace impd::xmpp {
namespace {

TEST(ScramClientTest, ReproducesTheRfc7677Exchange) {
  ScramClient client(ScramHash::kSha256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
  EXPECT_EQ(client.clientFirst(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  auto final = client.clientFinal(
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
  ASSERT_TRUE(final);
  EXPECT_EQ(*final,
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  EXPECT_TRUE(client.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
  EXPECT_FALSE(client.verifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
}

TEST(ScramClientTest, RefusesANonceThatDoesNotExtendOurs) {
  ScramClient client(ScramHash::kSha256, "user", "pencil", "abc");
  EXPECT_FALSE(client.clientFinal("r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
  EXPECT_FALSE(client.clientFinal("r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
  EXPECT_FALSE(client.clientFinal("r=abcd,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0"));
}

TEST(ScramClientTest, SignsInAgainstOurServerWithEscapedNames) {
  CountingRandom random;
  const auto creds = deriveScramCredentials("secret", ScramHash::kSha1, "salty-salt", 4096);
  ScramServer server(ScramHash::kSha1, [&](std::string_view user) -> std::optional<ScramCredentials> {
    if (user == "a,b=c") return creds;
    return std::nullopt;
  }, random);
  ScramClient client(ScramHash::kSha1, "a,b=c", "secret", "clientnonce");
  auto first = server.start(client.clientFirst());
  ASSERT_TRUE(first);
  auto final = client.clientFinal(*first);
  ASSERT_TRUE(final);
  auto verdict = server.finish(*final);
  ASSERT_TRUE(verdict) << verdict.error().message;
  EXPECT_TRUE(client.verifyServerFinal(*verdict));
}

}  // namespace
}  // namespace impd::xmpp
