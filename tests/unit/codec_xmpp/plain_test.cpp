// SASL PLAIN message parsing (RFC 4616).
#include <gtest/gtest.h>

#include "codec/xmpp/scram.h"

namespace impd::xmpp {
namespace {

std::string_view bytes(const char* s, std::size_t n) {
  return {s, n};
}

TEST(Plain, ParsesWithAndWithoutAuthzid) {
  Result<PlainMessage> plain = parsePlain(bytes("\0juliet\0r0m30", 13));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->authzid, "");
  EXPECT_EQ(plain->authcid, "juliet");
  EXPECT_EQ(plain->password, "r0m30");
  Result<PlainMessage> withAuthzid = parsePlain(bytes("admin\0juliet\0r0m30", 18));
  ASSERT_TRUE(withAuthzid.ok());
  EXPECT_EQ(withAuthzid->authzid, "admin");
}

TEST(Plain, RefusesBadShapes) {
  for (std::string_view bad :
       {bytes("juliet", 6), bytes("\0juliet", 7), bytes("\0\0pw", 4), bytes("\0juliet\0", 8),
        bytes("\0juliet\0pw\0", 11), bytes("\0ju\xffliet\0pw", 11), bytes("", 0)}) {
    Result<PlainMessage> plain = parsePlain(bad);
    ASSERT_FALSE(plain.ok());
    EXPECT_EQ(plain.error().condition, "malformed-request");
  }
}

TEST(Plain, EachPartIsAtMost255Bytes) {
  std::string max(255, 'x');
  EXPECT_TRUE(parsePlain(max + '\0' + max + '\0' + max).ok());
  std::string over(256, 'x');
  EXPECT_FALSE(parsePlain(over + '\0' + max + '\0' + max).ok());
  EXPECT_FALSE(parsePlain('\0' + over + '\0' + max).ok());
  EXPECT_FALSE(parsePlain('\0' + max + '\0' + over).ok());
}

}  // namespace
}  // namespace impd::xmpp
