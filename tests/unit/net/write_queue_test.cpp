// WriteQueue on real loopback connections: writes that the socket takes at once and writes
// that must wait for the peer to read arrive complete and in order, over TCP and over TLS; a
// peer that stops reading is reported instead of buffered without bound.
#include "net/write_queue.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>

#include "loopback.h"

namespace impd::net {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using testing::LoopbackPair;
using testing::pattern;

class WriteQueueTlsTest : public testing::TlsTest {};

// Queues `data` in uneven pieces, a few at a time with pauses, so some batches go out at
// once and others meet a full socket.
awaitable<void> queueInPieces(WriteQueue& queue, StreamSocket& socket, const std::string& data) {
  auto owner = std::make_shared<int>(0);
  asio::steady_timer pause(co_await asio::this_coro::executor);
  std::size_t round = 0;
  for (std::size_t at = 0, piece = 1; at < data.size(); at += piece, piece = piece * 5 % 30011 + 1) {
    EXPECT_TRUE(queue.push(data.substr(at, piece), socket, owner));
    if (++round % 7 == 0) {
      pause.expires_after(std::chrono::microseconds(200));
      co_await pause.async_wait(asio::use_awaitable);
    }
  }
  co_await queue.drained();
  EXPECT_TRUE(queue.idle());
}

awaitable<void> receive(StreamSocket& s, std::size_t n, std::string& out) {
  std::array<char, 4096> buffer;
  boost::system::error_code ec;
  while (out.size() < n && !ec) {
    const std::size_t got = co_await s.readSome(asio::buffer(buffer), ec);
    out.append(buffer.data(), got);
  }
}

TEST(WriteQueueTest, EveryByteArrivesInOrderOverTcp) {
  asio::io_context io;
  LoopbackPair pair(io);
  WriteQueue queue(io.get_executor(), 64 << 20);
  const std::string data = pattern(8 << 20, 'q');  // far more than the socket buffers hold
  std::string got;
  asio::co_spawn(io, queueInPieces(queue, pair.server, data), asio::detached);
  asio::co_spawn(io, receive(pair.client, data.size(), got), asio::detached);
  io.run();
  ASSERT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data);
}

TEST_F(WriteQueueTlsTest, EveryByteArrivesInOrderOverTls) {
  asio::io_context io;
  LoopbackPair pair(io);
  WriteQueue queue(io.get_executor(), 64 << 20);
  const std::string data = pattern(4 << 20, 't');
  std::string got;
  boost::system::error_code hs1, hs2;
  asio::co_spawn(io, [&]() -> awaitable<void> {
    co_await pair.server.startServerTls(*server_, hs1);
    if (!hs1) co_await queueInPieces(queue, pair.server, data);
  }, asio::detached);
  asio::co_spawn(io, [&]() -> awaitable<void> {
    co_await pair.client.startClientTls(*client_, "imp.test", hs2);
    if (!hs2) co_await receive(pair.client, data.size(), got);
  }, asio::detached);
  io.run();
  EXPECT_FALSE(hs1);
  EXPECT_FALSE(hs2);
  ASSERT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data);
}

TEST(WriteQueueTest, APeerThatStopsReadingIsReportedNotBuffered) {
  asio::io_context io;
  LoopbackPair pair(io);
  WriteQueue queue(io.get_executor(), 1 << 20);
  auto owner = std::make_shared<int>(0);
  const std::string piece(64 << 10, 'x');
  // The client never reads: once the socket buffers are full the queue grows to its limit.
  bool refused = false;
  for (int i = 0; i < 1000 && !refused; ++i) {
    refused = !queue.push(piece, pair.server, owner);
    io.restart();  // poll() stops the context whenever it runs out of work
    io.poll();
  }
  EXPECT_TRUE(refused);
  EXPECT_FALSE(queue.idle());
  pair.server.close();  // what the connection does next; the waiting writer then ends
  io.restart();
  io.run();
  EXPECT_TRUE(queue.idle());
}

TEST(WriteQueueTest, AClosedPeerEndsTheWriterAndClosesTheSocket) {
  asio::io_context io;
  LoopbackPair pair(io);
  WriteQueue queue(io.get_executor(), 64 << 20);
  pair.client.close();
  auto owner = std::make_shared<int>(0);
  // The first write may still be accepted by the kernel; the reset makes a later one fail.
  for (int i = 0; i < 50 && pair.server.isOpen(); ++i) {
    EXPECT_TRUE(queue.push(std::string(4096, 'c'), pair.server, owner) || !pair.server.isOpen());
    io.run();
    io.restart();
  }
  EXPECT_FALSE(pair.server.isOpen());
  EXPECT_TRUE(queue.idle());
}

}  // namespace
}  // namespace impd::net
