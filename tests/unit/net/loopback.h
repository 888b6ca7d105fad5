#pragma once
// What the StreamSocket and WriteQueue tests share: a connected loopback pair, a TLS test
// fixture with a throwaway self-signed certificate, and recognisable test data.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "net/stream_socket.h"
#include "net/tls.h"

namespace impd::net::testing {

// n bytes that differ from their neighbours, so a lost or reordered piece shows.
inline std::string pattern(std::size_t n, char seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i * 7 % 251);
  return s;
}

// A connected TCP pair on 127.0.0.1, not yet in TLS.
struct LoopbackPair {
  using Tcp = boost::asio::ip::tcp;
  explicit LoopbackPair(boost::asio::io_context& io)
      : acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        client(connectTo(io, acceptor)),
        server(acceptor.accept()) {}
  static Tcp::socket connectTo(boost::asio::io_context& io, Tcp::acceptor& acceptor) {
    Tcp::socket s(io);
    s.connect(acceptor.local_endpoint());
    return s;
  }
  Tcp::acceptor acceptor;
  StreamSocket client, server;
};

// Server and client TLS contexts for "imp.test", made fresh for each test.
class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("impd-tls-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    TlsFiles files{dir_ / "cert.pem", dir_ / "key.pem", {}};
    ASSERT_TRUE(ensureSelfSigned(files.certificate, files.key, {"imp.test"}));
    server_ = *makeServerContext(files);
    client_ = *makeClientContext(files);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::shared_ptr<boost::asio::ssl::context> server_, client_;
};

}  // namespace impd::net::testing
