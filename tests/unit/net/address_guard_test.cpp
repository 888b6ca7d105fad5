#include "net/address_guard.h"

#include <gtest/gtest.h>

namespace impd::net {
namespace {

using namespace std::chrono_literals;

TEST(AddressGuard, LimitsConcurrentConnectionsPerAddress) {
  FakeClock clock;
  AddressGuard guard({2, 100, 10}, clock);
  EXPECT_TRUE(guard.admit("127.0.0.1"));
  EXPECT_TRUE(guard.admit("127.0.0.1"));
  EXPECT_FALSE(guard.admit("127.0.0.1"));
  EXPECT_TRUE(guard.admit("127.0.0.2"));  // other addresses are unaffected
  guard.release("127.0.0.1");
  EXPECT_TRUE(guard.admit("127.0.0.1"));
}

TEST(AddressGuard, LimitsTheConnectRate) {
  FakeClock clock;
  AddressGuard guard({100, 3, 10}, clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(guard.admit("10.0.0.1"));
  EXPECT_FALSE(guard.admit("10.0.0.1"));
  clock.advance(1s);
  EXPECT_TRUE(guard.admit("10.0.0.1"));
}

TEST(AddressGuard, ThrottlesAuthenticationAfterFailures) {
  FakeClock clock;
  AddressGuard guard({100, 100, 3}, clock);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(guard.mayAuthenticate("127.0.0.9"));
    guard.recordAuthFailure("127.0.0.9");
  }
  EXPECT_FALSE(guard.mayAuthenticate("127.0.0.9"));
  EXPECT_TRUE(guard.mayAuthenticate("127.0.0.8"));
  clock.advance(20s);  // 3 per minute: one failure forgiven every 20 s
  EXPECT_TRUE(guard.mayAuthenticate("127.0.0.9"));
}

}  // namespace
}  // namespace impd::net
