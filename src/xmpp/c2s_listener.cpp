#include "xmpp/c2s_listener.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.h"
#include "xmpp/c2s_connection.h"

namespace impd::xmpp {

namespace asio = boost::asio;
using asio::ip::tcp;

C2sListener::C2sListener(C2sContext& ctx, net::IoPool& pool, bool directTls)
    : ctx_(ctx), pool_(pool), directTls_(directTls) {}

Result<void> C2sListener::start(const config::ListenAddress& address) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address.host, ec);
  if (ec) return makeError("listen", address.host + ": not an IP address");
  tcp::endpoint endpoint(ip, address.port);
  acceptor_ = std::make_unique<tcp::acceptor>(pool_.at(0));
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return makeError("listen", address.host + ":" + std::to_string(address.port) + ": " + ec.message());
  }
  asio::co_spawn(pool_.at(0), acceptLoop(), asio::detached);
  logger("c2s")->info("listening on {}:{}{}", address.host, address.port, directTls_ ? " (direct TLS)" : "");
  return {};
}

void C2sListener::stop() {
  if (!acceptor_) return;
  asio::post(acceptor_->get_executor(), [a = acceptor_.get()] {
    boost::system::error_code ec;
    a->close(ec);
  });
}

asio::awaitable<void> C2sListener::acceptLoop() {
  for (;;) {
    // Each connection lives on the next I/O thread for its whole life.
    asio::io_context& home = pool_.next();
    auto [ec, socket] = co_await acceptor_->async_accept(home, asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) co_return;
    if (ec) {
      // EMFILE and friends: back off briefly instead of spinning.
      logger("c2s")->warn("accept failed: {}", ec.message());
      asio::steady_timer wait(acceptor_->get_executor(), std::chrono::milliseconds(100));
      co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    boost::system::error_code peerError;
    auto peer = socket.remote_endpoint(peerError);
    std::string address = peerError ? std::string() : peer.address().to_string();
    if (peerError || ctx_.draining || !ctx_.guard.admit(address)) {
      logger("c2s")->debug("{}: connection refused by admission limits", address);
      socket.close(peerError);
      continue;
    }
    auto connection = std::make_shared<C2sConnection>(ctx_, std::move(socket), directTls_);
    asio::co_spawn(home, [connection] { return connection->run(); }, asio::detached);
  }
}

}  // namespace impd::xmpp
