// Outbound TLS from the SIP service to a federated domain: SNI names the target host, our
// certificate is presented as the client's, and the server's certificate must be trusted and
// name the domain, or the target is given up.
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "base/clock.h"
#include "base/random.h"
#include "codec/sip/headers.h"
#include "dns/static_resolver.h"
#include "loopback_support.h"
#include "sip/sip_service.h"

namespace impd::sip {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

class ServiceTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("sip-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    for (const auto* name : {"imp", "lab", "wrong"}) {
      const std::string domain = std::string(name) + ".test";
      ASSERT_TRUE(net::ensureSelfSigned(dir_ / (domain + ".pem"), dir_ / (domain + ".key"), {domain}));
    }
    // Both peer certificates are trusted; only one names the federated domain.
    std::ofstream ca(dir_ / "ca.pem");
    ca << std::ifstream(dir_ / "lab.test.pem").rdbuf() << std::ifstream(dir_ / "wrong.test.pem").rdbuf();
    ca.close();
    peer_ = std::make_unique<tcp::acceptor>(peerIo_, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0});
    tlsPort_ = test::freePort();
    config::Config config;
    config.server.domains = {"imp.test"};
    config.sip.listen = {{config::SipTransport::kTls, "127.0.0.1", tlsPort_}};
    config::SipFederatedDomain lab;
    lab.domain = "lab.test";
    lab.route = config::SipAddress{config::SipTransport::kTls, "edge.lab.test", peer_->local_endpoint().port()};
    config.sip.federatedDomains = {lab};
    net::TlsFiles files{dir_ / "imp.test.pem", dir_ / "imp.test.key", dir_ / "ca.pem"};
    auto made = SipService::create(config, files, SystemClock::instance(), SecureRandom::instance(),
                                   [](asio::io_context&) -> Result<std::unique_ptr<dns::Resolver>> {
                                     auto resolver = std::make_unique<dns::StaticResolver>();
                                     resolver->setAddresses("edge.lab.test", std::vector<asio::ip::address>{
                                                                                 asio::ip::make_address("127.0.0.1")});
                                     return std::unique_ptr<dns::Resolver>(std::move(resolver));
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

  // The far end: accepts one connection and runs the server side of TLS with `domain`'s
  // certificate, asking for the client's.
  std::unique_ptr<asio::ssl::stream<tcp::socket>> acceptTls(const std::string& domain) {
    serverTls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    serverTls_->use_certificate_chain_file((dir_ / (domain + ".pem")).string());
    serverTls_->use_private_key_file((dir_ / (domain + ".key")).string(), asio::ssl::context::pem);
    SSL_CTX_set_verify(serverTls_->native_handle(), SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
    auto stream = std::make_unique<asio::ssl::stream<tcp::socket>>(peerIo_, *serverTls_);
    peer_->accept(stream->lowest_layer());
    test::setReadTimeout(stream->lowest_layer().native_handle());
    boost::system::error_code ec;
    stream->handshake(asio::ssl::stream_base::server, ec);
    EXPECT_FALSE(ec) << ec.message();
    return stream;
  }

  Message message() {
    Message m = Message::request("MESSAGE", "sip:bob@lab.test");
    m.add("From", "<sip:alice@imp.test>;tag=a1");
    m.add("To", "<sip:bob@lab.test>");
    m.add("Call-ID", "t1");
    m.add("CSeq", "1 MESSAGE");
    return m;
  }

  std::filesystem::path dir_;
  std::uint16_t tlsPort_ = 0;
  asio::io_context peerIo_;
  std::unique_ptr<tcp::acceptor> peer_;
  std::unique_ptr<asio::ssl::context> serverTls_;
  net::IoPool pool_{1};
  std::unique_ptr<SipService> service_;
};

TEST_F(ServiceTlsTest, SniClientCertificateAndCertifiedServer) {
  auto outcome = std::make_shared<std::promise<ClientOutcome>>();
  service_->sendRequest(message(), std::string("lab.test"), [outcome](const ClientOutcome& o) {
    if (o.final) outcome->set_value(o);
  });
  auto stream = acceptTls("lab.test");
  SSL* ssl = stream->native_handle();
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  EXPECT_STREQ(sni, "edge.lab.test");
  X509* client = SSL_get0_peer_certificate(ssl);
  ASSERT_NE(client, nullptr) << "we present our certificate when we connect";
  EXPECT_TRUE(matchSipDomain(extractIdentities(client), "imp.test"));

  std::string buffer;
  auto request = parse(test::readMessage(*stream, buffer));
  ASSERT_TRUE(request.ok());
  auto via = Via::parse(*request->get("Via"));
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->transport(), "TLS");
  EXPECT_EQ(via->sentBy(), "127.0.0.1:" + std::to_string(tlsPort_));
  EXPECT_TRUE(via->param("alias")) << "RFC 5923: we take requests on this connection";

  Message ok = Message::response(200);
  for (auto v : request->getAll("Via")) ok.add("Via", std::string(v));
  for (auto h : {"From", "Call-ID", "CSeq"}) ok.add(h, std::string(*request->get(h)));
  ok.add("To", std::string(*request->get("To")) + ";tag=b1");
  asio::write(*stream, asio::buffer(serialize(ok)));
  auto done = outcome->get_future();
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  const ClientOutcome result = done.get();
  ASSERT_EQ(result.kind, ClientOutcome::Kind::kResponse) << result.detail;
  EXPECT_EQ(result.response->status(), 200);
  EXPECT_EQ(result.destination.kind, TransportKind::Tls);
}

TEST_F(ServiceTlsTest, ServerCertificateForAnotherDomainIsRefused) {
  auto outcome = std::make_shared<std::promise<ClientOutcome>>();
  service_->sendRequest(message(), std::string("lab.test"), [outcome](const ClientOutcome& o) {
    if (o.final) outcome->set_value(o);
  });
  auto stream = acceptTls("wrong.test");
  auto done = outcome->get_future();
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(done.get().kind, ClientOutcome::Kind::kNoRoute);
  std::string buffer;
  EXPECT_EQ(test::readMessage(*stream, buffer), "") << "nothing is sent to an uncertified server";
}

}  // namespace
}  // namespace impd::sip
