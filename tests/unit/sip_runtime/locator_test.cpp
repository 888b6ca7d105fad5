// Locating federated SIP domains: static routes, _sipfederationtls/_sips SRV in RFC 2782
// order, the A/AAAA fall-back, and fail-over across every target and address.
#include "sip/locator.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <optional>

#include "base/fake_random.h"
#include "dns/static_resolver.h"

namespace impd::sip {
namespace {

namespace asio = boost::asio;
using dns::SrvRecord;

// Runs one coroutine to its end on a private io_context.
template <typename T>
T run(asio::awaitable<T> work) {
  asio::io_context io;
  std::optional<T> out;
  asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T value) {
    if (e) std::rethrow_exception(e);
    out.emplace(std::move(value));
  });
  io.run();
  return std::move(*out);
}

class LocatorTest : public ::testing::Test {
 protected:
  std::vector<Hop> locateDomain(std::string domain, std::optional<config::SipAddress> route = std::nullopt) {
    return run(locate(resolver_, random_, std::move(domain), std::move(route)));
  }
  static Hop tls(std::string host, std::uint16_t port = 5061) { return {TransportKind::Tls, std::move(host), port}; }

  dns::StaticResolver resolver_;
  CountingRandom random_;
};

TEST_F(LocatorTest, StaticRouteWinsWithoutDns) {
  auto hops = locateDomain("lync.test", config::SipAddress{config::SipTransport::kTcp, "127.0.0.10", 5070});
  EXPECT_EQ(hops, (std::vector<Hop>{{TransportKind::Tcp, "127.0.0.10", 5070}}));
  EXPECT_EQ(resolver_.lookups(), 0u);
}

TEST_F(LocatorTest, FederationTlsSrvInPriorityOrder) {
  resolver_.setSrv("_sipfederationtls._tcp.lync.test",
                   std::vector<SrvRecord>{{"edge2.lync.test", 5062, 20, 0}, {"edge1.lync.test", 5061, 10, 0}});
  resolver_.setSrv("_sips._tcp.lync.test", std::vector<SrvRecord>{{"sips.lync.test", 5061, 0, 0}});
  EXPECT_EQ(locateDomain("LYNC.test"), (std::vector<Hop>{tls("edge1.lync.test"), tls("edge2.lync.test", 5062)}));
  EXPECT_EQ(resolver_.lookups(), 1u) << "_sips is not asked once Microsoft's name answered";
}

TEST_F(LocatorTest, SipsWhenNoFederationRecord) {
  resolver_.setSrv("_sips._tcp.lync.test", std::vector<SrvRecord>{{"sips.lync.test", 5071, 0, 0}});
  EXPECT_EQ(locateDomain("lync.test"), (std::vector<Hop>{tls("sips.lync.test", 5071)}));
}

TEST_F(LocatorTest, DomainItselfWithoutSrv) {
  EXPECT_EQ(locateDomain("lync.test"), (std::vector<Hop>{tls("lync.test")}));
}

TEST_F(LocatorTest, DnsErrorCountsAsNoRecords) {
  resolver_.setSrv("_sipfederationtls._tcp.lync.test", makeError("dns-timeout", "no answer"));
  resolver_.setSrv("_sips._tcp.lync.test", std::vector<SrvRecord>{{"sips.lync.test", 5061, 0, 0}});
  EXPECT_EQ(locateDomain("lync.test"), (std::vector<Hop>{tls("sips.lync.test")}));
}

TEST(FederationPlan, DotDeclaresTheServiceAbsent) {
  CountingRandom random;
  const std::vector<SrvRecord> dot{{".", 0, 0, 0}};
  const std::vector<SrvRecord> sips{{"sips.lync.test", 5061, 0, 0}};
  EXPECT_TRUE(federationPlan("lync.test", dot, {}, random).empty());
  EXPECT_TRUE(federationPlan("lync.test", dot, dot, random).empty());
  EXPECT_EQ(federationPlan("lync.test", dot, sips, random),
            (std::vector<Hop>{{TransportKind::Tls, "sips.lync.test", 5061}}));
}

TEST(FederationPlan, WeightsDecideWithinAPriority) {
  const std::vector<SrvRecord> records{
      {"backup.lync.test", 5061, 20, 0}, {"a.lync.test", 5061, 10, 1}, {"b.lync.test", 5061, 10, 60000}};
  int bFirst = 0;
  for (int i = 0; i < 20; ++i) {
    CountingRandom random;
    for (int skip = 0; skip < i; ++skip) {
      std::uint64_t x;
      random.fill(&x, sizeof x);
    }
    auto plan = federationPlan("lync.test", records, {}, random);
    ASSERT_EQ(plan.size(), 3u);
    EXPECT_EQ(plan[2].host, "backup.lync.test") << "a lower priority never goes before a higher one";
    bFirst += plan[0].host == "b.lync.test";
  }
  EXPECT_GT(bFirst, 15) << "weight 60000 against 1 is nearly always first";
}

TEST_F(LocatorTest, FailOverAcrossEveryTargetAndAddress) {
  resolver_.setAddresses("edge1.lync.test", std::vector<asio::ip::address>{asio::ip::make_address("127.0.0.11"),
                                                                           asio::ip::make_address("127.0.0.12")});
  resolver_.setAddresses("gone.lync.test", makeError("dns-not-found", "NXDOMAIN"));
  resolver_.setAddresses("edge2.lync.test", std::vector<asio::ip::address>{asio::ip::make_address("127.0.0.13"),
                                                                           asio::ip::make_address("127.0.0.14")});
  std::vector<std::string> tried;
  Attempt<std::string> attempt = [&tried](Hop hop, asio::ip::address address) -> asio::awaitable<std::optional<std::string>> {
    tried.push_back(hop.host + "@" + address.to_string());
    co_return address.to_string() == "127.0.0.13" ? std::optional<std::string>("ok") : std::nullopt;
  };
  auto got = run(firstAnswering<std::string>(resolver_, {tls("edge1.lync.test"), tls("gone.lync.test"),
                                                          tls("edge2.lync.test"), tls("never.lync.test")},
                                             attempt));
  EXPECT_EQ(got, "ok");
  EXPECT_EQ(tried, (std::vector<std::string>{"edge1.lync.test@127.0.0.11", "edge1.lync.test@127.0.0.12",
                                             "edge2.lync.test@127.0.0.13"}));
}

TEST_F(LocatorTest, NothingAnswers) {
  Attempt<int> attempt = [](Hop, asio::ip::address) -> asio::awaitable<std::optional<int>> { co_return std::nullopt; };
  EXPECT_EQ(run(firstAnswering<int>(resolver_, {tls("127.0.0.1"), tls("::1")}, attempt)), std::nullopt);
}

TEST(LocatorNames, SrvOwnerNames) {
  EXPECT_EQ(federationTlsSrvName("Lync.Test."), "_sipfederationtls._tcp.lync.test");
  EXPECT_EQ(sipsSrvName("lync.test"), "_sips._tcp.lync.test");
}

}  // namespace
}  // namespace impd::sip
