#include "codec/xmpp/dialback.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace impd::xmpp {
namespace {

// XEP-0185 §3 (the XEP's own example): Originating Server example.org, Receiving Server
// xmpp.example.com, stream ID D60000229F, secret s3cr3tf0rd14lb4ck.
constexpr const char* kSecret = "s3cr3tf0rd14lb4ck";
constexpr const char* kReceiving = "xmpp.example.com";
constexpr const char* kOriginating = "example.org";
constexpr const char* kStreamId = "D60000229F";
constexpr const char* kKey = "37c69b1cf07a3f67c04a5ef5902fa5114f2c76fe4a2686482ba5b89323075643";

TEST(Dialback, XepExampleKey) {
  EXPECT_EQ(dialbackKey(kSecret, kReceiving, kOriginating, kStreamId), kKey);
}

TEST(Dialback, KeyIsLowerCaseHexOf64Characters) {
  const auto key = dialbackKey("another secret", "a.test", "b.test", "id-1");
  EXPECT_EQ(key.size(), 64u);
  EXPECT_TRUE(std::all_of(key.begin(), key.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
  }));
}

TEST(Dialback, EveryInputChangesTheKey) {
  const auto base = dialbackKey(kSecret, kReceiving, kOriginating, kStreamId);
  EXPECT_NE(dialbackKey("s3cr3tf0rd14lb4cK", kReceiving, kOriginating, kStreamId), base);
  EXPECT_NE(dialbackKey(kSecret, "xmpp.example.net", kOriginating, kStreamId), base);
  EXPECT_NE(dialbackKey(kSecret, kReceiving, "example.net", kStreamId), base);
  EXPECT_NE(dialbackKey(kSecret, kReceiving, kOriginating, "D60000229G"), base);
  // The direction matters: receiving and originating are not interchangeable.
  EXPECT_NE(dialbackKey(kSecret, kOriginating, kReceiving, kStreamId), base);
}

TEST(Dialback, VerifyAcceptsTheKeyInEitherCase) {
  EXPECT_TRUE(verifyDialbackKey(kKey, kSecret, kReceiving, kOriginating, kStreamId));
  std::string upper = kKey;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  EXPECT_TRUE(verifyDialbackKey(upper, kSecret, kReceiving, kOriginating, kStreamId));
}

TEST(Dialback, VerifyRefusesAnythingElse) {
  std::string flipped = kKey;
  flipped[63] = flipped[63] == '3' ? '4' : '3';
  EXPECT_FALSE(verifyDialbackKey(flipped, kSecret, kReceiving, kOriginating, kStreamId));
  EXPECT_FALSE(verifyDialbackKey("", kSecret, kReceiving, kOriginating, kStreamId));
  EXPECT_FALSE(verifyDialbackKey(std::string(kKey).substr(0, 63), kSecret, kReceiving, kOriginating,
                                 kStreamId));
  EXPECT_FALSE(
      verifyDialbackKey(std::string(kKey) + "0", kSecret, kReceiving, kOriginating, kStreamId));
  EXPECT_FALSE(verifyDialbackKey(kKey, "wrong", kReceiving, kOriginating, kStreamId));
  EXPECT_FALSE(verifyDialbackKey(kKey, kSecret, kReceiving, kOriginating, "other-id"));
  EXPECT_FALSE(verifyDialbackKey(kKey, kSecret, kOriginating, kReceiving, kStreamId));
}

TEST(Dialback, NodesSharingTheSecretAgree) {
  // Any node of a deployment can answer <db:verify/> for a key another node handed out.
  const std::string shared = "cluster-wide secret";
  const auto key = dialbackKey(shared, "prosody.test", "imp.test", "abc123");
  EXPECT_TRUE(verifyDialbackKey(key, shared, "prosody.test", "imp.test", "abc123"));
}

class FixedRandom final : public Random {
 public:
  void fill(void* out, std::size_t n) override { std::memset(out, 0xab, n); }
};

TEST(Dialback, RandomSecretIsHexOf32Bytes) {
  FixedRandom random;
  std::string expected;
  for (int i = 0; i < 32; ++i) expected += "ab";
  EXPECT_EQ(randomDialbackSecret(random), expected);
}

}  // namespace
}  // namespace impd::xmpp
