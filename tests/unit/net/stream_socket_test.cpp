// StreamSocket's TLS over its own ciphertext buffers, on a real loopback connection: both sides write a
// megabyte while reading the other's, so reads and writes interleave on one SSL object and
// flushes from the read path (TLS 1.3 tickets) meet flushes from the write path.
#include "net/stream_socket.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/tls.h"
#include "loopback.h"

namespace impd::net {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using Tcp = asio::ip::tcp;
using testing::LoopbackPair;
using testing::pattern;

class StreamSocketTlsTest : public testing::TlsTest {};

awaitable<void> sendAll(StreamSocket& s, const std::string& data, boost::system::error_code& ec) {
  // Uneven pieces, so record boundaries and flush chunks fall everywhere.
  for (std::size_t at = 0, piece = 1; at < data.size() && !ec; at += piece, piece = piece * 3 % 70001 + 1) {
    co_await s.writeAll(asio::buffer(data.data() + at, std::min(piece, data.size() - at)), ec);
  }
}

awaitable<void> receive(StreamSocket& s, std::size_t n, std::string& out, boost::system::error_code& ec) {
  std::array<char, 4096> buffer;
  while (out.size() < n && !ec) {
    std::size_t got = co_await s.readSome(asio::buffer(buffer), ec);
    out.append(buffer.data(), got);
  }
}

TEST_F(StreamSocketTlsTest, BothDirectionsAtOnceKeepEveryByte) {
  asio::io_context io;
  LoopbackPair pair(io);
  StreamSocket& client = pair.client;
  StreamSocket& server = pair.server;

  const std::string toServer = pattern(1 << 20, 'a'), toClient = pattern((1 << 20) + 12345, 'z');
  std::string atServer, atClient;
  boost::system::error_code e1, e2, e3, e4, e5, e6;
  auto side = [&](StreamSocket& me, bool isServer, const std::string& send, std::string& got, std::size_t expect,
                  boost::system::error_code& hs, boost::system::error_code& we,
                  boost::system::error_code& re) -> awaitable<void> {
    if (isServer) {
      co_await me.startServerTls(*server_, hs);
    } else {
      co_await me.startClientTls(*client_, "imp.test", hs);
    }
    if (hs) co_return;
    asio::co_spawn(io, receive(me, expect, got, re), asio::detached);
    co_await sendAll(me, send, we);
  };
  asio::co_spawn(io, side(server, true, toClient, atServer, toServer.size(), e1, e2, e3), asio::detached);
  asio::co_spawn(io, side(client, false, toServer, atClient, toClient.size(), e4, e5, e6), asio::detached);
  io.run();

  for (auto* ec : {&e1, &e2, &e3, &e4, &e5, &e6}) EXPECT_FALSE(*ec) << ec->message();
  EXPECT_TRUE(server.isTls() && client.isTls());
  ASSERT_EQ(atServer.size(), toServer.size());
  ASSERT_EQ(atClient.size(), toClient.size());
  EXPECT_TRUE(atServer == toServer);
  EXPECT_TRUE(atClient == toClient);
}

TEST_F(StreamSocketTlsTest, PeerThatClosesMidStreamIsAnErrorNotAHang) {
  asio::io_context io;
  LoopbackPair pair(io);
  StreamSocket& client = pair.client;
  StreamSocket& server = pair.server;
  boost::system::error_code hs1, hs2, readError;
  std::size_t got = 1;
  asio::co_spawn(io, [&]() -> awaitable<void> {
    co_await server.startServerTls(*server_, hs1);
    std::array<char, 256> buffer;
    got = co_await server.readSome(asio::buffer(buffer), readError);
  }, asio::detached);
  asio::co_spawn(io, [&]() -> awaitable<void> {
    co_await client.startClientTls(*client_, "imp.test", hs2);
    client.close();
  }, asio::detached);
  io.run();
  EXPECT_FALSE(hs1);
  EXPECT_FALSE(hs2);
  EXPECT_TRUE(readError);
  EXPECT_EQ(got, 0u);
}

}  // namespace
}  // namespace impd::net
