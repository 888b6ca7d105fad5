#include "net/connect.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace impd::net {

namespace asio = boost::asio;

asio::awaitable<boost::system::error_code> connectWithin(asio::ip::tcp::socket& socket,
                                                         const asio::ip::tcp::endpoint& endpoint,
                                                         std::chrono::steady_clock::duration limit) {
  bool expired = false;
  asio::steady_timer deadline(socket.get_executor(), limit);
  deadline.async_wait([&socket, &expired](boost::system::error_code ec) {
    if (ec) return;  // cancelled: the connect finished first
    expired = true;
    socket.close(ec);
  });
  auto [ec] = co_await socket.async_connect(endpoint, asio::as_tuple(asio::use_awaitable));
  deadline.cancel();
  co_return expired ? boost::system::error_code(asio::error::timed_out) : ec;
}

}  // namespace impd::net
