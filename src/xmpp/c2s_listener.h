#pragma once
// Accepts client connections on one address, applies the per-address admission limits and
// hands each to a C2sConnection pinned to an I/O thread of the pool.
#include <memory>

#include "config/config.h"
#include "net/io_pool.h"
#include "net/listener.h"
#include "xmpp/c2s_context.h"

namespace impd::xmpp {

class C2sListener {
 public:
  C2sListener(C2sContext& ctx, net::IoPool& pool, bool directTls);
  // Binds and starts accepting; "listen" error naming the address on failure.
  Result<void> start(const config::ListenAddress& address);
  void stop() { listener_.stop(); }

 private:
  void accept(boost::asio::ip::tcp::socket socket, boost::asio::io_context& home);

  C2sContext& ctx_;
  bool directTls_;
  net::Listener listener_;
};

}  // namespace impd::xmpp
