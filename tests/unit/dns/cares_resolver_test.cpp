// CaresResolver against a real DNS server: a private dnsmasq on loopback. When dnsmasq is not
// installed these tests fail (they do not skip): federation cannot be tested without them.
#include "dns/cares_resolver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dns/srv_plan.h"
#include "dnsmasq.h"
#include "test_support.h"

namespace impd::dns {
namespace {

namespace asio = boost::asio;
using test::runCoroutine;

constexpr const char* kServerAddress = "127.0.0.153";

class CaresResolverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = test::Dnsmasq::start(
        kServerAddress,
        {"--local=/test/",  // authoritative for .test: unknown names are NXDOMAIN
         "--address=/prosody.test/127.0.0.2",
         "--srv-host=_xmpp-server._tcp.prosody.test,xmpp1.prosody.test,5269,10,60",
         "--srv-host=_xmpp-server._tcp.prosody.test,xmpp2.prosody.test,5270,20,0",
         "--srv-host=_xmpps-server._tcp.prosody.test,tls.prosody.test,5223,10,40",
         "--srv-host=_xmpps-server._tcp.nodirect.test",  // no target: "." (not offered)
         "--srv-host=_xmpp-server._tcp.nodirect.test,s2s.nodirect.test,5269,0,0",
         "--host-record=dual.test,127.0.0.3,::1"});
    if (started.ok()) {
      server_ = std::move(started).value().release();
    } else {
      startError_ = started.error().message;
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr) << startError_;
    resolver_ = make({server_->endpoint()});
    ASSERT_NE(resolver_, nullptr);
  }

  std::unique_ptr<CaresResolver> make(std::vector<asio::ip::udp::endpoint> servers,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(2),
                                      int tries = 2) {
    auto r = CaresResolver::create(io_, {std::move(servers), timeout, tries, false});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? std::move(r).value() : nullptr;
  }
  Result<std::vector<SrvRecord>> srv(Resolver& r, std::string name) {
    auto out = runCoroutine(io_, [&] { return r.srv(name); });
    return out ? *out : Result<std::vector<SrvRecord>>(makeError("test", "no result in time"));
  }
  Result<std::vector<asio::ip::address>> addresses(Resolver& r, std::string host) {
    auto out = runCoroutine(io_, [&] { return r.addresses(host); });
    return out ? *out
               : Result<std::vector<asio::ip::address>>(makeError("test", "no result in time"));
  }
  std::string log() const { return server_ ? server_->log() : startError_; }

  static test::Dnsmasq* server_;
  static std::string startError_;
  asio::io_context io_;
  std::unique_ptr<CaresResolver> resolver_;
};

test::Dnsmasq* CaresResolverTest::server_ = nullptr;
std::string CaresResolverTest::startError_;

std::vector<SrvRecord> sorted(std::vector<SrvRecord> v) {
  std::sort(v.begin(), v.end(),
            [](const SrvRecord& a, const SrvRecord& b) { return a.target < b.target; });
  return v;
}

TEST_F(CaresResolverTest, AsksOnlyTheConfiguredServer) {
  EXPECT_EQ(resolver_->servers(), std::vector<asio::ip::udp::endpoint>{server_->endpoint()});
}

TEST_F(CaresResolverTest, SrvRecords) {
  auto records = srv(*resolver_, "_xmpp-server._tcp.prosody.test");
  ASSERT_TRUE(records.ok()) << records.error().message << "\n" << log();
  EXPECT_EQ(sorted(*records), (std::vector<SrvRecord>{{"xmpp1.prosody.test", 5269, 10, 60},
                                                      {"xmpp2.prosody.test", 5270, 20, 0}}));
}

TEST_F(CaresResolverTest, SrvWithoutTargetIsTheNoServiceMarker) {
  auto records = srv(*resolver_, "_xmpps-server._tcp.nodirect.test");
  ASSERT_TRUE(records.ok()) << records.error().message;
  EXPECT_TRUE(declaresNoService(*records)) << (records->empty() ? "" : records->front().target);
}

TEST_F(CaresResolverTest, NameWithoutSrvIsAnEmptySet) {
  auto missing = srv(*resolver_, "_xmpp-server._tcp.unknown.test");  // NXDOMAIN
  ASSERT_TRUE(missing.ok()) << missing.error().message;
  EXPECT_TRUE(missing->empty());
  auto noData = srv(*resolver_, "_xmpp-server._tcp.dual.test");  // name exists, no SRV
  ASSERT_TRUE(noData.ok()) << noData.error().message;
  EXPECT_TRUE(noData->empty());
}

TEST_F(CaresResolverTest, AddressRecords) {
  auto v4 = addresses(*resolver_, "xmpp1.prosody.test");
  ASSERT_TRUE(v4.ok()) << v4.error().message << "\n" << log();
  EXPECT_EQ(*v4, std::vector<asio::ip::address>{asio::ip::make_address("127.0.0.2")});
  auto both = addresses(*resolver_, "dual.test");
  ASSERT_TRUE(both.ok()) << both.error().message;
  EXPECT_EQ(*both, (std::vector<asio::ip::address>{asio::ip::make_address("::1"),
                                                   asio::ip::make_address("127.0.0.3")}));
}

TEST_F(CaresResolverTest, UnknownHostIsNotFound) {
  auto r = addresses(*resolver_, "nohost.test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().condition, kNotFound) << r.error().message;
}

TEST_F(CaresResolverTest, IpLiteralNeedsNoQuery) {
  auto dead = make({asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 9)});
  auto r = addresses(*dead, "127.0.0.9");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::vector<asio::ip::address>{asio::ip::make_address("127.0.0.9")});
}

TEST_F(CaresResolverTest, ConnectPlanFromRealAnswers) {
  auto xmpps = srv(*resolver_, xmppsServerName("prosody.test"));
  auto xmpp = srv(*resolver_, xmppServerName("prosody.test"));
  ASSERT_TRUE(xmpps.ok() && xmpp.ok());
  test::SeededRandom random(5);
  const auto plan = connectPlan("prosody.test", *xmpps, *xmpp, random);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan.back(), (Target{"xmpp2.prosody.test", 5270, false}));  // priority 20
  for (const auto& t : plan) EXPECT_TRUE(addresses(*resolver_, t.host).ok()) << t.host;

  auto refused = srv(*resolver_, xmppsServerName("nodirect.test"));
  auto plain = srv(*resolver_, xmppServerName("nodirect.test"));
  ASSERT_TRUE(refused.ok() && plain.ok());
  EXPECT_EQ(connectPlan("nodirect.test", *refused, *plain, random),
            (std::vector<Target>{{"s2s.nodirect.test", 5269, false}}));
}

TEST_F(CaresResolverTest, ManyLookupsAtOnce) {
  constexpr int kLookups = 40;
  int done = 0, good = 0;
  for (int i = 0; i < kLookups; ++i) {
    asio::co_spawn(
        io_,
        [&, i]() -> asio::awaitable<void> {
          if (i % 2 == 0) {
            auto s = co_await resolver_->srv("_xmpp-server._tcp.prosody.test");
            good += s.ok() && s->size() == 2;
          } else {
            auto a = co_await resolver_->addresses("dual.test");
            good += a.ok() && a->size() == 2;
          }
          ++done;
        },
        asio::detached);
  }
  io_.run_for(std::chrono::seconds(10));
  EXPECT_EQ(done, kLookups);
  EXPECT_EQ(good, kLookups);
}

TEST_F(CaresResolverTest, SilentServerTimesOut) {
  asio::ip::udp::socket silent(io_,
                               asio::ip::udp::endpoint(asio::ip::make_address(kServerAddress), 0));
  auto r = make({silent.local_endpoint()}, std::chrono::milliseconds(150), 1);
  const auto start = std::chrono::steady_clock::now();
  auto result = srv(*r, "_xmpp-server._tcp.prosody.test");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().condition, kTimeout) << result.error().message;
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST_F(CaresResolverTest, ClosedPortFailsFast) {
  // Nothing listens there: the ICMP port-unreachable (EPOLLERR on the socket) fails the
  // lookup at once instead of after the time-out.
  auto port = [&] {
    asio::ip::udp::socket probe(io_,
                                asio::ip::udp::endpoint(asio::ip::make_address(kServerAddress), 0));
    return probe.local_endpoint();
  }();
  auto r = make({port}, std::chrono::seconds(5), 1);
  const auto start = std::chrono::steady_clock::now();
  auto records = srv(*r, "_xmpp-server._tcp.prosody.test");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.error().condition, kFailure) << records.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));

  // c-ares 1.18 sends A and AAAA back to back; the second send() consumes the socket error,
  // so the A query ends by its time-out rather than at once. Either way it fails cleanly.
  auto quick = make({port}, std::chrono::milliseconds(200), 1);
  auto ips = addresses(*quick, "dual.test");
  ASSERT_FALSE(ips.ok());
  EXPECT_TRUE(ips.error().condition == kFailure || ips.error().condition == kTimeout)
      << ips.error().message;
}

TEST_F(CaresResolverTest, DestroyingTheResolverCancelsPendingLookups) {
  asio::ip::udp::socket silent(io_,
                               asio::ip::udp::endpoint(asio::ip::make_address(kServerAddress), 0));
  auto r = make({silent.local_endpoint()}, std::chrono::seconds(5), 2);
  std::optional<Result<std::vector<SrvRecord>>> out;
  asio::co_spawn(
      io_, [&]() -> asio::awaitable<void> { out.emplace(co_await r->srv("_a._tcp.x.test")); },
      asio::detached);
  asio::steady_timer later(io_, std::chrono::milliseconds(50));
  later.async_wait([&](boost::system::error_code) { r.reset(); });
  io_.run_for(std::chrono::seconds(3));
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().condition, kCancelled);
}

TEST(ParseServerAddress, Forms) {
  EXPECT_EQ(*parseServerAddress("127.0.0.1:5353"),
            asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 5353));
  EXPECT_EQ(parseServerAddress("127.0.0.1")->port(), 53);
  EXPECT_EQ(*parseServerAddress("[::1]:5353"),
            asio::ip::udp::endpoint(asio::ip::make_address("::1"), 5353));
  EXPECT_EQ(parseServerAddress("::1")->port(), 53);
  EXPECT_FALSE(parseServerAddress("dns.test:53").ok());
  EXPECT_FALSE(parseServerAddress("127.0.0.1:0").ok());
  EXPECT_FALSE(parseServerAddress("127.0.0.1:99999").ok());
  EXPECT_FALSE(parseServerAddress("127.0.0.1:").ok());
  EXPECT_FALSE(parseServerAddress("[::1").ok());
}

}  // namespace
}  // namespace impd::dns
