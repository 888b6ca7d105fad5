// HTTP Basic credentials (RFC 7617) as the admin API reads them.
#include <gtest/gtest.h>

#include "admin/authenticator.h"
#include "base/base64.h"

namespace impd::admin {
namespace {

TEST(BasicAuth, SplitsAtTheFirstColon) {
  auto creds = parseBasic("Basic " + base64Encode("alice@imp.test:pa:ss word"));
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->first, "alice@imp.test");
  EXPECT_EQ(creds->second, "pa:ss word");
}

TEST(BasicAuth, TheSchemeIsCaseInsensitive) {
  EXPECT_TRUE(parseBasic("bAsIc " + base64Encode("a@b.test:x")));
}

TEST(BasicAuth, AnythingElseIsNotCredentials) {
  EXPECT_FALSE(parseBasic(""));
  EXPECT_FALSE(parseBasic("Bearer abc"));
  EXPECT_FALSE(parseBasic("Basic !!!"));
  EXPECT_FALSE(parseBasic("Basic " + base64Encode("no-colon")));
  EXPECT_FALSE(parseBasic("Basic"));
}

}  // namespace
}  // namespace impd::admin
