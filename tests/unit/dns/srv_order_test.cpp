#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "dns/srv_plan.h"
#include "test_support.h"

namespace impd::dns {
namespace {

using test::ScriptedRandom;
using test::SeededRandom;

std::vector<std::string> hosts(const std::vector<Target>& targets) {
  std::vector<std::string> out;
  for (const auto& t : targets) out.push_back(t.host);
  return out;
}

TEST(OrderSrv, EmptySetGivesNoTargets) {
  SeededRandom random(1);
  EXPECT_TRUE(orderSrv({}, random).empty());
}

TEST(OrderSrv, LowerPriorityComesFirstWhateverTheWeights) {
  const std::vector<SrvRecord> records = {
      {"c.test", 5269, 30, 65535}, {"a.test", 5270, 10, 1}, {"b.test", 5271, 20, 500}};
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    SeededRandom random(seed);
    const auto targets = orderSrv(records, random);
    ASSERT_EQ(hosts(targets), (std::vector<std::string>{"a.test", "b.test", "c.test"}));
    EXPECT_EQ(targets[0].port, 5270);
    EXPECT_FALSE(targets[0].directTls);
  }
}

TEST(OrderSrv, WeightsAreHonouredStatistically) {
  // RFC 2782 draws a number in [0, sum] and takes the first record whose running sum reaches
  // it, so with weights 10/30/60 the first pick is a with 11/101, b with 30/101, c with 60/101.
  const std::vector<SrvRecord> records = {
      {"a.test", 1, 5, 10}, {"b.test", 1, 5, 30}, {"c.test", 1, 5, 60}};
  SeededRandom random(20240601);
  std::map<std::string, int> first;
  std::map<std::string, int> second;
  constexpr int kRuns = 40000;
  for (int i = 0; i < kRuns; ++i) {
    const auto targets = orderSrv(records, random);
    ASSERT_EQ(targets.size(), 3u);
    ++first[targets[0].host];
    ++second[targets[1].host];
  }
  EXPECT_NEAR(first["a.test"] / double(kRuns), 11.0 / 101, 0.01);
  EXPECT_NEAR(first["b.test"] / double(kRuns), 30.0 / 101, 0.01);
  EXPECT_NEAR(first["c.test"] / double(kRuns), 60.0 / 101, 0.01);
  // The draw repeats without replacement: the heavy record is usually gone by the second
  // place, so b (30) leads a (10) there too.
  EXPECT_GT(second["b.test"], second["a.test"]);
}

TEST(OrderSrv, DrawTakesFirstRecordWhoseRunningSumReachesTheNumber) {
  const std::vector<SrvRecord> records = {{"one.test", 1, 0, 1}, {"two.test", 1, 0, 2}};
  {
    ScriptedRandom random({1});  // running sums 1, 3: 1 reaches the first
    EXPECT_EQ(hosts(orderSrv(records, random)), (std::vector<std::string>{"one.test", "two.test"}));
  }
  {
    ScriptedRandom random({2});  // 2 passes the first (1) and reaches the second (3)
    EXPECT_EQ(hosts(orderSrv(records, random)), (std::vector<std::string>{"two.test", "one.test"}));
  }
}

TEST(OrderSrv, AllZeroWeightsKeepAnswerOrder) {
  const std::vector<SrvRecord> records = {
      {"x.test", 1, 0, 0}, {"y.test", 1, 0, 0}, {"z.test", 1, 0, 0}};
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    SeededRandom random(seed);
    EXPECT_EQ(hosts(orderSrv(records, random)),
              (std::vector<std::string>{"x.test", "y.test", "z.test"}));
  }
}

TEST(OrderSrv, ZeroWeightIsRarelyFirstAndNeverLost) {
  // Zero-weight records go to the front of the list, so they win only a draw of exactly 0:
  // here 1 in 101.
  const std::vector<SrvRecord> records = {{"heavy.test", 1, 0, 100}, {"zero.test", 1, 0, 0}};
  SeededRandom random(7);
  int zeroFirst = 0;
  constexpr int kRuns = 30000;
  for (int i = 0; i < kRuns; ++i) {
    const auto targets = orderSrv(records, random);
    ASSERT_EQ(targets.size(), 2u);
    if (targets[0].host == "zero.test") ++zeroFirst;
  }
  EXPECT_GT(zeroFirst, kRuns / 101 / 2);
  EXPECT_LT(zeroFirst, kRuns / 101 * 2);
}

TEST(OrderSrv, EveryRecordAppearsExactlyOnceSoFailOverCanReachAll) {
  std::vector<SrvRecord> records;
  for (int i = 0; i < 12; ++i) {
    records.push_back({"h" + std::to_string(i) + ".test", static_cast<std::uint16_t>(5000 + i),
                       static_cast<std::uint16_t>(i % 3), static_cast<std::uint16_t>(i * 7 % 5)});
  }
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    SeededRandom random(seed);
    const auto targets = orderSrv(records, random);
    ASSERT_EQ(targets.size(), records.size());
    auto names = hosts(targets);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
    for (std::size_t i = 1; i < targets.size(); ++i) {
      const auto prio = [&](const Target& t) {
        return std::find_if(records.begin(), records.end(),
                            [&](const SrvRecord& r) { return r.target == t.host; })
            ->priority;
      };
      EXPECT_LE(prio(targets[i - 1]), prio(targets[i]));
    }
  }
}

TEST(OrderSrv, DotTargetMeansNoService) {
  SeededRandom random(3);
  const std::vector<SrvRecord> none = {{".", 0, 0, 0}};
  EXPECT_TRUE(declaresNoService(none));
  EXPECT_TRUE(orderSrv(none, random).empty());
  EXPECT_FALSE(declaresNoService({}));
  EXPECT_FALSE(declaresNoService({{"a.test", 5269, 0, 0}}));
  // A stray "." among real records is skipped, the rest is used.
  EXPECT_EQ(hosts(orderSrv({{".", 0, 0, 0}, {"a.test", 5269, 1, 0}}, random)),
            (std::vector<std::string>{"a.test"}));
}

}  // namespace
}  // namespace impd::dns
