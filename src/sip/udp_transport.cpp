// UDP transport (udp_transport.h).
#include "sip/udp_transport.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <vector>

#include "base/log.h"
#include "sip/transport.h"

namespace impd::sip {

namespace asio = boost::asio;
using asio::ip::udp;

UdpTransport::UdpTransport(asio::any_io_executor core, std::uint64_t id, Receive receive)
    : socket_(std::move(core)), id_(id), receive_(std::move(receive)) {}

Result<void> UdpTransport::open(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (ec) return makeError("listen", host + ": not an IP address");
  const udp::endpoint endpoint(ip, port);
  socket_.open(endpoint.protocol(), ec);
  if (!ec) socket_.bind(endpoint, ec);
  if (ec) return makeError("listen", "udp://" + host + ":" + std::to_string(port) + ": " + ec.message());
  local_ = socket_.local_endpoint(ec);
  return {};
}

void UdpTransport::start() {
  asio::co_spawn(socket_.get_executor(), [this] { return receiveLoop(); }, asio::detached);
}

void UdpTransport::close() {
  boost::system::error_code ec;
  socket_.close(ec);
}

asio::awaitable<void> UdpTransport::receiveLoop() {
  std::vector<char> buffer(kMaxDatagram);
  udp::endpoint from;
  while (socket_.is_open()) {
    auto [ec, n] = co_await socket_.async_receive_from(asio::buffer(buffer), from,
                                                        asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !socket_.is_open()) co_return;
    // ICMP port unreachable from an earlier send shows up here as an error: not ours to end on.
    if (ec) continue;
    receive_(id_, std::string_view(buffer.data(), n), from);
  }
}

void UdpTransport::sendTo(std::string bytes, const udp::endpoint& to) {
  if (!socket_.is_open()) return;
  auto data = std::make_shared<std::string>(std::move(bytes));
  socket_.async_send_to(asio::buffer(*data), to, [data](boost::system::error_code ec, std::size_t) {
    if (ec) logger("sip")->debug("udp send failed: {}", ec.message());
  });
}

}  // namespace impd::sip
