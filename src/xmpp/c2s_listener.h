#pragma once
// Accepts client connections on one address and hands each to a C2sConnection pinned to an
// I/O thread of the pool.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

#include "base/result.h"
#include "config/config.h"
#include "net/io_pool.h"
#include "xmpp/c2s_context.h"

namespace impd::xmpp {

class C2sListener {
 public:
  C2sListener(C2sContext& ctx, net::IoPool& pool, bool directTls);
  // Binds and starts accepting; "listen" error naming the address on failure.
  Result<void> start(const config::ListenAddress& address);
  void stop();

 private:
  boost::asio::awaitable<void> acceptLoop();

  C2sContext& ctx_;
  net::IoPool& pool_;
  bool directTls_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
};

}  // namespace impd::xmpp
