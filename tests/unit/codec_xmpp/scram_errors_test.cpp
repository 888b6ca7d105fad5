// SCRAM messages that are refused for their form, their binding flags or their order.
#include <gtest/gtest.h>

#include "scram_test_util.h"

namespace impd::xmpp {
namespace {

using testing::Accounts;
using testing::CountingRandom;

class ScramErrors : public ::testing::Test {
 protected:
  ScramErrors() {
    accounts_.byName["juliet"] = deriveScramCredentials("r0m30", ScramHash::kSha1, "salt", 64);
  }

  std::string startCondition(std::string_view clientFirst) {
    Result<std::string> out = server_.start(clientFirst);
    return out.ok() ? "ok" : out.error().condition;
  }

  // Starts a good exchange and returns the correct client-final-message for it.
  std::string startGood() {
    Result<std::string> first = server_.start("n,,n=juliet,r=abc");
    EXPECT_TRUE(first.ok());
    return testing::clientFinal(ScramHash::kSha1, "r0m30", "n=juliet,r=abc", *first);
  }

  std::string finishCondition(std::string_view clientFinal) {
    Result<std::string> out = server_.finish(clientFinal);
    return out.ok() ? "ok" : out.error().condition;
  }

  Accounts accounts_;
  CountingRandom random_;
  ScramServer server_{ScramHash::kSha1, accounts_.lookup(), random_};
};

TEST_F(ScramErrors, ChannelBindingRequestIsRefused) {
  EXPECT_EQ(startCondition("p=tls-unique,,n=juliet,r=abc"), "malformed-request");
}

TEST_F(ScramErrors, MandatoryExtensionIsRefused) {
  EXPECT_EQ(startCondition("n,,m=ext,n=juliet,r=abc"), "malformed-request");
}

TEST_F(ScramErrors, OptionalExtensionIsIgnored) {
  EXPECT_EQ(startCondition("n,,n=juliet,r=abc,x=whatever"), "ok");
}

TEST_F(ScramErrors, MalformedClientFirst) {
  for (std::string_view bad :
       {"", "n", "n,", "n,,", "x,,n=juliet,r=abc", "n,,n=juliet", "n,,r=abc,n=juliet",
        "n,,n=,r=abc", "n,,n=juliet,r=", "n,,n=juliet,r=a\tb", "n,,n=juliet,r=abc,,",
        "n,,n=jul=41iet,r=abc", "n,,n=juliet=,r=abc", "n,x=y,n=juliet,r=abc", "n,a=,n=j,r=abc",
        "n,,n=\xff,r=abc", "yy,,n=juliet,r=abc", "n,,n=juliet,r=abc,1=x"}) {
    ScramServer server(ScramHash::kSha1, accounts_.lookup(), random_);
    Result<std::string> out = server.start(bad);
    ASSERT_FALSE(out.ok()) << bad;
    EXPECT_EQ(out.error().condition, "malformed-request") << bad;
  }
  ScramServer withNul(ScramHash::kSha1, accounts_.lookup(), random_);
  EXPECT_FALSE(withNul.start(std::string_view("n,,n=ju\0liet,r=abc", 18)).ok());
}

TEST_F(ScramErrors, AuthzidThatIsNotAJid) {
  EXPECT_EQ(startCondition("n,a=@example.com,n=juliet,r=abc"), "invalid-authzid");
}

TEST_F(ScramErrors, SaslnameEscapesDecode) {
  EXPECT_EQ(startCondition("n,a=ju=2Cliet@example.com,n=juliet,r=abc"), "ok");
  EXPECT_EQ(server_.authzid(), "ju,liet@example.com");
}

TEST_F(ScramErrors, TamperedNonceIsNotAuthorized) {
  std::string final = startGood();
  std::size_t r = final.find(",r=abc");
  final.insert(r + 6, "X");
  EXPECT_EQ(finishCondition(final), "not-authorized");
}

TEST_F(ScramErrors, ChangedBindingHeaderIsNotAuthorized) {
  std::string final = startGood();
  ASSERT_TRUE(final.starts_with("c=biws,"));
  final.replace(0, 6, "c=eSws");  // "y,," instead of "n,,"
  EXPECT_EQ(finishCondition(final), "not-authorized");
}

TEST_F(ScramErrors, TamperedProofIsNotAuthorized) {
  std::string final = startGood();
  std::size_t p = final.find(",p=") + 3;
  final[p] = final[p] == 'A' ? 'B' : 'A';
  EXPECT_EQ(finishCondition(final), "not-authorized");
}

TEST_F(ScramErrors, ExtensionBeforeProofIsSigned) {
  std::string final = startGood();
  final.insert(final.find(",p="), ",x=added");
  EXPECT_EQ(finishCondition(final), "not-authorized");
}

TEST_F(ScramErrors, MalformedClientFinal) {
  for (std::string_view bad : {"", "c=biws", "c=biws,r=abc", "p=AAAA,r=abc,c=biws", "c=biws,p=AAAA",
                               "c=b!ws,r=abc,p=AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "c=biws,r=abc,p=AAAA",
                               "c=biws,r=abc,p=", "c=biws,r=abc,p=A"}) {
    ScramServer server(ScramHash::kSha1, accounts_.lookup(), random_);
    ASSERT_TRUE(server.start("n,,n=juliet,r=abc").ok());
    Result<std::string> out = server.finish(bad);
    ASSERT_FALSE(out.ok()) << bad;
    EXPECT_EQ(out.error().condition, "malformed-request") << bad;
  }
}

TEST_F(ScramErrors, CallsOutOfOrder) {
  EXPECT_EQ(finishCondition("c=biws,r=abc,p=AAAA"), "malformed-request");
  std::string final = startGood();
  EXPECT_EQ(startCondition("n,,n=juliet,r=abc"), "malformed-request");
  EXPECT_EQ(finishCondition(final), "ok");
  EXPECT_EQ(finishCondition(final), "malformed-request");
}

TEST_F(ScramErrors, FailureEndsTheExchange) {
  EXPECT_EQ(startCondition("p=tls-unique,,n=juliet,r=abc"), "malformed-request");
  EXPECT_EQ(startCondition("n,,n=juliet,r=abc"), "malformed-request");
}

}  // namespace
}  // namespace impd::xmpp
