#include "dns/static_resolver.h"

#include <gtest/gtest.h>

#include "dns/srv_plan.h"
#include "test_support.h"

namespace impd::dns {
namespace {

namespace asio = boost::asio;
using test::runCoroutine;

class StaticResolverTest : public ::testing::Test {
 protected:
  Result<std::vector<SrvRecord>> srv(Resolver& r, std::string name) {
    return *runCoroutine(io_, [&] { return r.srv(name); });
  }
  Result<std::vector<asio::ip::address>> addresses(Resolver& r, std::string host) {
    return *runCoroutine(io_, [&] { return r.addresses(host); });
  }
  asio::io_context io_;
};

TEST_F(StaticResolverTest, AnswersStoredRecordsWhateverTheCaseOrTrailingDot) {
  StaticResolver dns;
  dns.setSrv("_xmpp-server._tcp.prosody.test",
             std::vector<SrvRecord>{{"xmpp.prosody.test", 5269, 0, 5}});
  dns.setAddresses("xmpp.prosody.test",
                   std::vector<asio::ip::address>{asio::ip::make_address("127.0.0.2")});
  auto records = srv(dns, "_XMPP-server._tcp.Prosody.test.");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(*records, (std::vector<SrvRecord>{{"xmpp.prosody.test", 5269, 0, 5}}));
  auto ips = addresses(dns, "XMPP.prosody.test");
  ASSERT_TRUE(ips.ok());
  EXPECT_EQ(*ips, std::vector<asio::ip::address>{asio::ip::make_address("127.0.0.2")});
  EXPECT_EQ(dns.lookups(), 2u);
}

TEST_F(StaticResolverTest, UnknownNamesHaveNoRecords) {
  StaticResolver dns;
  auto records = srv(dns, "_xmpp-server._tcp.nowhere.test");
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
  auto ips = addresses(dns, "nowhere.test");
  ASSERT_FALSE(ips.ok());
  EXPECT_EQ(ips.error().condition, kNotFound);
  dns.setAddresses("empty.test", std::vector<asio::ip::address>{});
  EXPECT_EQ(addresses(dns, "empty.test").error().condition, kNotFound);
}

TEST_F(StaticResolverTest, IpLiteralsAnswerThemselves) {
  StaticResolver dns;
  EXPECT_EQ(*addresses(dns, "127.0.0.7"),
            std::vector<asio::ip::address>{asio::ip::make_address("127.0.0.7")});
  EXPECT_EQ(*addresses(dns, "[::1]"),
            std::vector<asio::ip::address>{asio::ip::make_address("::1")});
}

TEST_F(StaticResolverTest, InjectedFailuresComeBackAsErrors) {
  StaticResolver dns;
  dns.setSrv("_xmpp-server._tcp.slow.test", makeError(std::string(kTimeout), "no answer"));
  dns.setAddresses("slow.test", makeError(std::string(kTimeout), "no answer"));
  EXPECT_EQ(srv(dns, "_xmpp-server._tcp.slow.test").error().condition, kTimeout);
  EXPECT_EQ(addresses(dns, "slow.test").error().condition, kTimeout);
}

TEST_F(StaticResolverTest, RouteAnswersBothXmppServicesFromMemory) {
  auto backing = std::make_unique<StaticResolver>();
  backing->setSrv("_xmpps-server._tcp.prosody.test",
                  std::vector<SrvRecord>{{"direct.prosody.test", 5223, 0, 0}});
  auto* backingRaw = backing.get();
  StaticResolver dns(std::move(backing));
  dns.addRoute("Prosody.test", "127.0.0.2", 5269);

  auto plain = srv(dns, xmppServerName("prosody.test"));
  auto direct = srv(dns, xmppsServerName("prosody.test"));
  ASSERT_TRUE(plain.ok());
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(*plain, (std::vector<SrvRecord>{{"127.0.0.2", 5269, 0, 0}}));
  EXPECT_TRUE(direct->empty());  // the route wins over what DNS would say
  EXPECT_EQ(backingRaw->lookups(), 0u);

  test::SeededRandom random(1);
  EXPECT_EQ(connectPlan("prosody.test", *direct, *plain, random),
            (std::vector<Target>{{"127.0.0.2", 5269, false}}));
}

TEST_F(StaticResolverTest, OtherNamesGoToTheFallBack) {
  auto backing = std::make_unique<StaticResolver>();
  backing->setSrv("_xmpp-server._tcp.other.test", std::vector<SrvRecord>{{"o.test", 5269, 1, 1}});
  backing->setAddresses("o.test", std::vector<asio::ip::address>{asio::ip::make_address("::1")});
  auto* backingRaw = backing.get();
  StaticResolver dns(std::move(backing));
  dns.addRoute("prosody.test", "127.0.0.2", 5269);
  EXPECT_EQ(srv(dns, "_xmpp-server._tcp.other.test")->size(), 1u);
  EXPECT_EQ(addresses(dns, "o.test")->front(), asio::ip::make_address("::1"));
  EXPECT_EQ(backingRaw->lookups(), 2u);
}

}  // namespace
}  // namespace impd::dns
