// The SIP service on real loopback sockets: a built-in OPTIONS answer over UDP with Via
// stamping, a keep-alive pong over TCP, and a request sent to a federated domain through its
// static route, the connection then reused both ways (a request from the peer on it reaches
// the handler, admitted for the route's domain).
#include "sip/sip_service.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "base/clock.h"
#include "base/random.h"
#include "codec/sip/headers.h"
#include "dns/static_resolver.h"
#include "loopback_support.h"

namespace impd::sip {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using namespace std::chrono_literals;

using test::freePort;
using test::readMessage;
using test::setReadTimeout;

class ServiceLoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("sip-loopback-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    net::TlsFiles files{dir_ / "cert.pem", dir_ / "key.pem", {}};
    ASSERT_TRUE(net::ensureSelfSigned(files.certificate, files.key, {"imp.test"}));
    udpPort_ = freePort();
    tcpPort_ = freePort();
    peer_ = std::make_unique<tcp::acceptor>(peerIo_, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0});
    config::Config config;
    config.server.domains = {"imp.test"};
    config.sip.listen = {{config::SipTransport::kUdp, listenHost(), udpPort_},
                         {config::SipTransport::kTcp, listenHost(), tcpPort_}};
    config::SipFederatedDomain lab;
    lab.domain = "lab.test";
    lab.route = config::SipAddress{config::SipTransport::kTcp, "127.0.0.1", peer_->local_endpoint().port()};
    config.sip.federatedDomains = {lab};
    auto made = SipService::create(config, files, SystemClock::instance(), SecureRandom::instance(),
                                   [](asio::io_context&) -> Result<std::unique_ptr<dns::Resolver>> {
                                     return std::unique_ptr<dns::Resolver>(new dns::StaticResolver());
                                   });
    ASSERT_TRUE(made.ok()) << made.error().message;
    service_ = std::move(*made);
    ASSERT_TRUE(service_->start(pool_).ok());
    pool_.start();
  }

  void TearDown() override {
    if (service_) service_->stop();
    std::this_thread::sleep_for(100ms);
    pool_.stop();
    pool_.join();
    if (service_) service_->release();
    std::filesystem::remove_all(dir_);
  }

  virtual std::string listenHost() const { return "127.0.0.1"; }

  std::filesystem::path dir_;
  std::uint16_t udpPort_ = 0, tcpPort_ = 0;
  asio::io_context peerIo_;
  std::unique_ptr<tcp::acceptor> peer_;
  net::IoPool pool_{1};
  std::unique_ptr<SipService> service_;
};

TEST_F(ServiceLoopbackTest, OptionsOverUdpWithRport) {
  udp::socket client(peerIo_, udp::endpoint{asio::ip::make_address("127.0.0.1"), 0});
  setReadTimeout(client.native_handle());
  const std::string options =
      "OPTIONS sip:imp.test SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 127.0.0.1:9;rport;branch=z9hG4bK-o1\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:probe@anywhere.test>;tag=1\r\nTo: <sip:imp.test>\r\n"
      "Call-ID: o1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  client.send_to(asio::buffer(options), udp::endpoint{asio::ip::make_address("127.0.0.1"), udpPort_});
  char buffer[4096];
  udp::endpoint from;
  boost::system::error_code ec;
  const std::size_t n = client.receive_from(asio::buffer(buffer), from, 0, ec);
  ASSERT_FALSE(ec) << "no answer: " << ec.message();
  auto answer = parse(std::string_view(buffer, n));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status(), 200);
  EXPECT_EQ(answer->get("Allow"), "OPTIONS");
  auto via = Via::parse(*answer->get("Via"));
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->rport().port, client.local_endpoint().port()) << "answered where it came from, not to :9";
}

TEST_F(ServiceLoopbackTest, KeepAlivePingGetsPong) {
  tcp::socket client(peerIo_);
  client.connect({asio::ip::make_address("127.0.0.1"), tcpPort_});
  setReadTimeout(client.native_handle());
  asio::write(client, asio::buffer(std::string("\r\n\r\n")));
  char buffer[8];
  boost::system::error_code ec;
  const std::size_t n = client.read_some(asio::buffer(buffer), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(std::string(buffer, n), "\r\n");
}

TEST_F(ServiceLoopbackTest, RequestToFederatedDomainThenReuse) {
  std::promise<IncomingRequest> inbound;
  service_->setRequestHandler([&inbound, this](IncomingRequest request) {
    service_->respond(service_->makeResponseTo(request.message, 202));
    inbound.set_value(std::move(request));
  });
  std::promise<ClientOutcome> outcome;
  Message message = Message::request("MESSAGE", "sip:bob@lab.test");
  message.add("From", "<sip:alice@imp.test>;tag=a1");
  message.add("To", "<sip:bob@lab.test>");
  message.add("Call-ID", "m1");
  message.add("CSeq", "1 MESSAGE");
  message.setBody("hi", "text/plain");
  service_->sendRequest(message, std::string("lab.test"), [&outcome](const ClientOutcome& o) {
    if (o.final) outcome.set_value(o);
  });

  tcp::socket peer(peerIo_);
  peer_->accept(peer);
  setReadTimeout(peer.native_handle());
  std::string buffer;
  auto request = parse(readMessage(peer, buffer));
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->method(), "MESSAGE");
  EXPECT_EQ(request->get("Max-Forwards"), "70");
  auto via = Via::parse(*request->get("Via"));
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->transport(), "TCP");
  EXPECT_EQ(via->sentBy(), "127.0.0.1:" + std::to_string(tcpPort_)) << "our listener, for responses";
  EXPECT_TRUE(via->hasRfc3261Branch());

  Message ok = Message::response(200);
  for (auto v : request->getAll("Via")) ok.add("Via", std::string(v));
  for (auto h : {"From", "Call-ID", "CSeq"}) ok.add(h, std::string(*request->get(h)));
  ok.add("To", std::string(*request->get("To")) + ";tag=b1");
  asio::write(peer, asio::buffer(serialize(ok)));
  auto done = outcome.get_future();
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  const ClientOutcome result = done.get();
  ASSERT_EQ(result.kind, ClientOutcome::Kind::kResponse);
  EXPECT_EQ(result.response->status(), 200);

  // The peer answers on the same connection with a request of its own: admitted for lab.test
  // (its source is the route's address), handled, answered on that connection.
  const std::string back =
      "MESSAGE sip:alice@imp.test SIP/2.0\r\n"
      "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-b1\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:bob@lab.test>;tag=b2\r\nTo: <sip:alice@imp.test>\r\n"
      "Call-ID: b1\r\nCSeq: 7 MESSAGE\r\nContent-Length: 0\r\n\r\n";
  asio::write(peer, asio::buffer(back));
  auto answer = parse(readMessage(peer, buffer));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status(), 202);
  auto handled = inbound.get_future();
  ASSERT_EQ(handled.wait_for(5s), std::future_status::ready);
  const IncomingRequest got = handled.get();
  EXPECT_EQ(got.peer.domain, "lab.test");
  EXPECT_EQ(got.peer.transport, TransportKind::Tcp);
  EXPECT_FALSE(got.key.empty());
}

// Listening on another loopback address than the peer's.
class ServiceOnItsOwnAddressTest : public ServiceLoopbackTest {
 protected:
  std::string listenHost() const override { return "127.0.0.3"; }
};

// A peer that admits us over plain TCP by our static route's address must see that address,
// not whichever one the system would pick.
TEST_F(ServiceOnItsOwnAddressTest, OutboundConnectionsLeaveFromTheListenerAddress) {
  Message message = Message::request("MESSAGE", "sip:bob@lab.test");
  message.add("From", "<sip:alice@imp.test>;tag=a1");
  message.add("To", "<sip:bob@lab.test>");
  message.add("Call-ID", "m2");
  message.add("CSeq", "1 MESSAGE");
  service_->sendRequest(message, std::string("lab.test"), [](const ClientOutcome&) {});
  tcp::socket peer(peerIo_);
  peer_->accept(peer);
  EXPECT_EQ(peer.remote_endpoint().address(), asio::ip::make_address("127.0.0.3"));
}

TEST_F(ServiceLoopbackTest, AwaitedRequestToAnExplicitUdpDestination) {
  udp::socket peer(peerIo_, udp::endpoint{asio::ip::make_address("127.0.0.1"), 0});
  setReadTimeout(peer.native_handle());
  Message options = Message::request("OPTIONS", "sip:127.0.0.1");
  options.add("From", "<sip:imp.test>;tag=o1");
  options.add("To", "<sip:127.0.0.1>");
  options.add("Call-ID", "await1");
  options.add("CSeq", "1 OPTIONS");
  const Destination to{TransportKind::Udp, "127.0.0.1", peer.local_endpoint().port(), 0};
  auto outcome = asio::co_spawn(service_->executor(), service_->request(options, to), asio::use_future);

  char buffer[4096];
  udp::endpoint from;
  boost::system::error_code ec;
  const std::size_t n = peer.receive_from(asio::buffer(buffer), from, 0, ec);
  ASSERT_FALSE(ec) << ec.message();
  auto request = parse(std::string_view(buffer, n));
  ASSERT_TRUE(request.ok());
  auto via = Via::parse(*request->get("Via"));
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->sentBy(), "127.0.0.1:" + std::to_string(udpPort_));
  EXPECT_TRUE(via->rport()) << "RFC 3581: ask for the source port";
  EXPECT_EQ(from.port(), udpPort_) << "sent from our listening socket";

  Message ok = Message::response(200);
  for (auto v : request->getAll("Via")) ok.add("Via", std::string(v));
  for (auto h : {"From", "To", "Call-ID", "CSeq"}) ok.add(h, std::string(*request->get(h)));
  peer.send_to(asio::buffer(serialize(ok)), from);
  ASSERT_EQ(outcome.wait_for(5s), std::future_status::ready);
  const ClientOutcome result = outcome.get();
  ASSERT_EQ(result.kind, ClientOutcome::Kind::kResponse) << result.detail;
  EXPECT_EQ(result.response->status(), 200);
}

TEST_F(ServiceLoopbackTest, UnknownDomainIsRefusedWithoutTraffic) {
  auto outcome = std::make_shared<std::promise<ClientOutcome>>();
  service_->sendRequest(Message::request("MESSAGE", "sip:bob@evil.test"), std::string("evil.test"),
                        [outcome](const ClientOutcome& o) { outcome->set_value(o); });
  auto done = outcome->get_future();
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(done.get().kind, ClientOutcome::Kind::kRefused);
}

TEST_F(ServiceLoopbackTest, RecordRouteAndContact) {
  EXPECT_EQ(service_->recordRoute(TransportKind::Tcp),
            "<sip:imp.test:" + std::to_string(tcpPort_) + ";transport=tcp;lr>");
  EXPECT_EQ(service_->contact(TransportKind::Udp, "alice"), "<sip:alice@imp.test:" + std::to_string(udpPort_) + ">");
  EXPECT_EQ(service_->contact(TransportKind::Tls), "<sip:imp.test;transport=tls>");
}

}  // namespace
}  // namespace impd::sip
