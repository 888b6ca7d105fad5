// SCRAM exchanges that succeed or fail on credentials: the RFC 5802 and RFC 7677 vectors,
// wrong passwords, unknown users and their decoys.
#include <gtest/gtest.h>

#include "scram_test_util.h"

namespace impd::xmpp {
namespace {

using testing::Accounts;
using testing::clientFinal;
using testing::CountingRandom;

ScramCredentials pencil(ScramHash hash, std::string_view saltBase64) {
  return deriveScramCredentials("pencil", hash, *base64Decode(saltBase64), 4096);
}

TEST(Scram, Rfc5802Sha1Example) {
  Accounts accounts;
  accounts.byName["user"] = pencil(ScramHash::kSha1, "QSXCR+Q6sek8bf92");
  CountingRandom random;
  ScramServer server(ScramHash::kSha1, accounts.lookup(), random);
  server.setFixedServerNonce("3rfcNHYJY1ZVvWVs7j");
  Result<std::string> first = server.start("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
  Result<std::string> final = server.finish(
      "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
  ASSERT_TRUE(final.ok()) << final.error().message;
  EXPECT_EQ(*final, "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
  EXPECT_EQ(server.username(), "user");
  EXPECT_EQ(server.authzid(), "");
}

TEST(Scram, Rfc7677Sha256Example) {
  Accounts accounts;
  accounts.byName["user"] = pencil(ScramHash::kSha256, "W22ZaJ0SNY7soEsUEjb6gQ==");
  CountingRandom random;
  ScramServer server(ScramHash::kSha256, accounts.lookup(), random);
  server.setFixedServerNonce("%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
  Result<std::string> first = server.start("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first,
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,"
            "i=4096");
  Result<std::string> final = server.finish(
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  ASSERT_TRUE(final.ok()) << final.error().message;
  EXPECT_EQ(*final, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}

TEST(Scram, MechanismNames) {
  EXPECT_EQ(scramMechanismName(ScramHash::kSha1), "SCRAM-SHA-1");
  EXPECT_EQ(scramMechanismName(ScramHash::kSha256), "SCRAM-SHA-256");
}

class ScramExchange : public ::testing::Test {
 protected:
  ScramExchange() {
    accounts_.byName["juliet"] = deriveScramCredentials("r0m30", ScramHash::kSha256, "salt", 64);
  }

  Result<std::string> run(std::string_view user, std::string_view password,
                          std::string_view gs2Header = "n,,") {
    std::string bare = "n=" + std::string(user) + ",r=clientnonce";
    Result<std::string> first = server_.start(std::string(gs2Header) + bare);
    if (!first) return first.error();
    return server_.finish(
        testing::clientFinal(ScramHash::kSha256, password, bare, *first, gs2Header));
  }

  Accounts accounts_;
  CountingRandom random_;
  ScramServer server_{ScramHash::kSha256, accounts_.lookup(), random_};
};

TEST_F(ScramExchange, RightPasswordSucceeds) {
  EXPECT_TRUE(run("juliet", "r0m30").ok());
}

TEST_F(ScramExchange, UsernameIsPreparedBeforeLookup) {
  EXPECT_TRUE(run("Juliet", "r0m30").ok());
  EXPECT_EQ(server_.username(), "juliet");
}

TEST_F(ScramExchange, WrongPasswordIsNotAuthorized) {
  Result<std::string> out = run("juliet", "r0m31");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().condition, "not-authorized");
}

TEST_F(ScramExchange, ServerNonceComesFromRandom) {
  Result<std::string> first = server_.start("n,,n=juliet,r=abc");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->starts_with("r=abc"));
  EXPECT_EQ(first->find(','), 2 + 3 + 24u);
}

TEST_F(ScramExchange, YFlagIsAcceptedWithoutBinding) {
  EXPECT_TRUE(run("juliet", "r0m30", "y,,").ok());
}

TEST_F(ScramExchange, AuthzidIsDecoded) {
  EXPECT_TRUE(run("juliet", "r0m30", "n,a=romeo@example.net,").ok());
  EXPECT_EQ(server_.authzid(), "romeo@example.net");
}

TEST_F(ScramExchange, UnknownUserFailsOnlyAtTheProof) {
  Result<std::string> out = run("nobody", "r0m30");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().condition, "not-authorized");
}

TEST_F(ScramExchange, UnpreparableUserGetsADecoyWithoutLookup) {
  Result<std::string> out = run("a<b", "r0m30");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().condition, "not-authorized");
  EXPECT_EQ(accounts_.lookups, 0);
}

TEST_F(ScramExchange, CredentialsForAnotherHashCountAsUnknown) {
  accounts_.byName["romeo"] = deriveScramCredentials("x", ScramHash::kSha1, "salt", 64);
  EXPECT_FALSE(run("romeo", "x").ok());
}

std::string saltOf(std::string_view serverFirst) {
  std::size_t s = serverFirst.find(",s=");
  return std::string(serverFirst.substr(s, serverFirst.find(",i=") - s));
}

TEST(ScramDecoy, UnknownUserSaltIsStableAndPerName) {
  Accounts accounts;
  CountingRandom random;
  auto firstFor = [&](std::string_view user) {
    ScramServer server(ScramHash::kSha256, accounts.lookup(), random);
    return *server.start("n,,n=" + std::string(user) + ",r=abc");
  };
  EXPECT_EQ(saltOf(firstFor("nobody")), saltOf(firstFor("nobody")));
  // A real lookup would see both spellings as one account; so must the decoy.
  EXPECT_EQ(saltOf(firstFor("Nobody")), saltOf(firstFor("nobody")));
  EXPECT_NE(saltOf(firstFor("nobody")), saltOf(firstFor("someone")));
  EXPECT_NE(firstFor("nobody").find(",i=4096"), std::string::npos);
}

TEST(ScramDecoy, ParametersFollowConfiguration) {
  Accounts accounts;
  CountingRandom random;
  ScramServer server(ScramHash::kSha1, accounts.lookup(), random);
  server.setDecoyParameters(24, 10000);
  Result<std::string> first = server.start("n,,n=nobody,r=abc");
  ASSERT_TRUE(first.ok());
  EXPECT_NE(first->find(",i=10000"), std::string::npos);
  std::string salt = saltOf(*first).substr(3);
  EXPECT_EQ(base64Decode(salt)->size(), 24u);
}

TEST(ScramPassword, VerifyPassword) {
  ScramCredentials creds = deriveScramCredentials("pencil", ScramHash::kSha256, "salt", 16);
  EXPECT_TRUE(verifyPassword(creds, "pencil"));
  EXPECT_FALSE(verifyPassword(creds, "Pencil"));
  EXPECT_FALSE(verifyPassword(creds, ""));
  ScramCredentials broken = creds;
  broken.iterations = 0;
  EXPECT_FALSE(verifyPassword(broken, "pencil"));
}

TEST(ScramPassword, PasswordsAreNormalizedToNfcAndSpaces) {
  ScramCredentials composed = deriveScramCredentials("caf\u00e9 au lait", ScramHash::kSha1, "s", 8);
  EXPECT_TRUE(verifyPassword(composed, "cafe\u0301 au lait"));
  EXPECT_TRUE(verifyPassword(composed, "caf\u00e9\u00a0au\u3000lait"));
  EXPECT_FALSE(verifyPassword(composed, "CAF\u00c9 au lait"));
}

}  // namespace
}  // namespace impd::xmpp
