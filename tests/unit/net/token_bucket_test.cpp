#include "net/token_bucket.h"

#include <gtest/gtest.h>

namespace impd::net {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucket, DebtIsPaidByWaiting) {
  FakeClock clock;
  TokenBucket bucket(1000, 1000, clock.now());
  bucket.consume(3000, clock.now());
  EXPECT_EQ(bucket.debtDelay(), 2001ms);
  clock.advance(1s);
  bucket.consume(0, clock.now());
  EXPECT_EQ(bucket.debtDelay(), 1001ms);
  clock.advance(2s);
  bucket.consume(0, clock.now());
  EXPECT_EQ(bucket.debtDelay(), 0ms);
}

TEST(TokenBucket, BurstIsCapped) {
  FakeClock clock;
  TokenBucket bucket(2, 2, clock.now());
  clock.advance(1h);
  EXPECT_TRUE(bucket.tryTake(clock.now()));
  EXPECT_TRUE(bucket.tryTake(clock.now()));
  EXPECT_FALSE(bucket.tryTake(clock.now()));
  clock.advance(500ms);
  EXPECT_TRUE(bucket.tryTake(clock.now()));
}

}  // namespace
}  // namespace impd::net
