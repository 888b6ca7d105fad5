#pragma once
// Accepts TCP connections on one address and hands each, with the I/O context it is pinned
// to for its whole life, to the protocol that owns the port (c2s, s2s, ...).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "net/io_pool.h"

namespace impd::net {

class Listener {
 public:
  // Called on the listener's thread; `home` is where the connection must run.
  using Accept = std::function<void(boost::asio::ip::tcp::socket socket, boost::asio::io_context& home)>;

  // `name` prefixes log lines ("c2s", "s2s").
  Listener(IoPool& pool, std::string name, Accept accept);
  // Binds and starts accepting; "listen" error naming the address on failure.
  Result<void> start(const std::string& host, std::uint16_t port);
  void stop();

 private:
  boost::asio::awaitable<void> acceptLoop();

  IoPool& pool_;
  std::string name_;
  Accept accept_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
};

}  // namespace impd::net
