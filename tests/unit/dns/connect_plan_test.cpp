#include <gtest/gtest.h>

#include <algorithm>

#include "dns/srv_plan.h"
#include "test_support.h"

namespace impd::dns {
namespace {

using test::SeededRandom;

TEST(ConnectPlan, NoSrvAtAllMeansTheDomainOnPort5269) {
  SeededRandom random(1);
  EXPECT_EQ(connectPlan("Prosody.Test", {}, {}, random),
            (std::vector<Target>{{"prosody.test", 5269, false}}));
}

TEST(ConnectPlan, OnlyXmppServerRecordsUseStartTls) {
  SeededRandom random(1);
  const auto plan =
      connectPlan("a.test", {}, {{"s2.a.test", 5270, 20, 0}, {"s1.a.test", 5269, 10, 0}}, random);
  EXPECT_EQ(plan, (std::vector<Target>{{"s1.a.test", 5269, false}, {"s2.a.test", 5270, false}}));
}

TEST(ConnectPlan, BothSetsMergeByPriority) {
  SeededRandom random(1);
  const std::vector<SrvRecord> xmpps = {{"tls.a.test", 5223, 20, 0}, {"tls0.a.test", 443, 5, 0}};
  const std::vector<SrvRecord> xmpp = {{"plain.a.test", 5269, 10, 0}};
  EXPECT_EQ(
      connectPlan("a.test", xmpps, xmpp, random),
      (std::vector<Target>{
          {"tls0.a.test", 443, true}, {"plain.a.test", 5269, false}, {"tls.a.test", 5223, true}}));
}

TEST(ConnectPlan, DirectTlsFirstOnATie) {
  const std::vector<SrvRecord> xmpps = {{"a.test", 5223, 10, 0}};
  const std::vector<SrvRecord> xmpp = {{"a.test", 5269, 10, 0}};
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    SeededRandom random(seed);
    EXPECT_EQ(connectPlan("a.test", xmpps, xmpp, random),
              (std::vector<Target>{{"a.test", 5223, true}, {"a.test", 5269, false}}));
  }
}

TEST(ConnectPlan, WeightsMixAcrossBothSets) {
  // XEP-0368: one RFC 2782 set, so the operator's weights decide, not the record type.
  const std::vector<SrvRecord> xmpps = {{"tls.a.test", 5223, 10, 1}};
  const std::vector<SrvRecord> xmpp = {{"plain.a.test", 5269, 10, 99}};
  SeededRandom random(11);
  int plainFirst = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto plan = connectPlan("a.test", xmpps, xmpp, random);
    ASSERT_EQ(plan.size(), 2u);
    if (!plan[0].directTls) ++plainFirst;
  }
  EXPECT_GT(plainFirst, 1900);
  EXPECT_LT(plainFirst, 2000);
}

TEST(ConnectPlan, NoDirectTlsMarkerLeavesStartTlsRecords) {
  SeededRandom random(1);
  EXPECT_EQ(connectPlan("a.test", {{".", 0, 0, 0}}, {{"s.a.test", 5269, 0, 0}}, random),
            (std::vector<Target>{{"s.a.test", 5269, false}}));
}

TEST(ConnectPlan, NoDirectTlsMarkerAloneMeansNoAddressFallBack) {
  // XEP-0368 §5: the domain published SRV, so A/AAAA on 5269 must not be guessed.
  SeededRandom random(1);
  EXPECT_TRUE(connectPlan("a.test", {{".", 0, 0, 0}}, {}, random).empty());
}

TEST(ConnectPlan, NoServiceMarkerForXmppServerRefusesFederation) {
  SeededRandom random(1);
  EXPECT_TRUE(connectPlan("a.test", {}, {{".", 0, 0, 0}}, random).empty());
  EXPECT_TRUE(connectPlan("a.test", {{".", 0, 0, 0}}, {{".", 0, 0, 0}}, random).empty());
}

TEST(ConnectPlan, DirectTlsRecordsStillServeWhenStartTlsIsRefused) {
  SeededRandom random(1);
  EXPECT_EQ(connectPlan("a.test", {{"t.a.test", 5223, 0, 0}}, {{".", 0, 0, 0}}, random),
            (std::vector<Target>{{"t.a.test", 5223, true}}));
}

TEST(ConnectPlan, EveryRecordOfBothSetsIsTriedOnce) {
  const std::vector<SrvRecord> xmpps = {{"t1.test", 5223, 1, 5}, {"t2.test", 5224, 2, 0}};
  const std::vector<SrvRecord> xmpp = {
      {"p1.test", 5269, 1, 5}, {"p2.test", 5270, 2, 9}, {"p3.test", 5271, 3, 1}};
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    SeededRandom random(seed);
    const auto plan = connectPlan("x.test", xmpps, xmpp, random);
    ASSERT_EQ(plan.size(), 5u);
    for (const auto& r : xmpps) {
      EXPECT_EQ(std::count(plan.begin(), plan.end(), Target{r.target, r.port, true}), 1);
    }
    for (const auto& r : xmpp) {
      EXPECT_EQ(std::count(plan.begin(), plan.end(), Target{r.target, r.port, false}), 1);
    }
    EXPECT_EQ(plan.back(), (Target{"p3.test", 5271, false}));
  }
}

TEST(ConnectPlan, SrvOwnerNames) {
  EXPECT_EQ(xmppServerName("Prosody.TEST."), "_xmpp-server._tcp.prosody.test");
  EXPECT_EQ(xmppsServerName("prosody.test"), "_xmpps-server._tcp.prosody.test");
}

}  // namespace
}  // namespace impd::dns
