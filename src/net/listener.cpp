#include "net/listener.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.h"

namespace impd::net {

namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(IoPool& pool, std::string name, Accept accept)
    : pool_(pool), name_(std::move(name)), accept_(std::move(accept)) {}

Result<void> Listener::start(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (ec) return makeError("listen", host + ": not an IP address");
  tcp::endpoint endpoint(ip, port);
  acceptor_ = std::make_unique<tcp::acceptor>(pool_.at(0));
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return makeError("listen", host + ":" + std::to_string(port) + ": " + ec.message());
  asio::co_spawn(pool_.at(0), acceptLoop(), asio::detached);
  return {};
}

void Listener::stop() {
  if (!acceptor_) return;
  asio::post(acceptor_->get_executor(), [a = acceptor_.get()] {
    boost::system::error_code ec;
    a->close(ec);
  });
}

asio::awaitable<void> Listener::acceptLoop() {
  for (;;) {
    // Each connection lives on the next I/O thread for its whole life.
    asio::io_context& home = pool_.next();
    auto [ec, socket] = co_await acceptor_->async_accept(home, asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) co_return;
    if (ec) {
      // EMFILE and friends: back off briefly instead of spinning.
      logger(name_)->warn("accept failed: {}", ec.message());
      asio::steady_timer wait(acceptor_->get_executor(), std::chrono::milliseconds(100));
      co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    accept_(std::move(socket), home);
  }
}

}  // namespace impd::net
