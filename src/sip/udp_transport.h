#pragma once
// One UDP socket of a [sip] listen address. It lives on the core executor itself: a datagram
// is a whole message, so there is no per-peer state to pin elsewhere, and the core reads each
// one as it arrives. Sending never waits; the kernel's buffer is the only queue.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace impd::sip {

class UdpTransport {
 public:
  // Called on the core executor for every datagram.
  using Receive =
      std::function<void(std::uint64_t id, std::string_view bytes, const boost::asio::ip::udp::endpoint& from)>;

  UdpTransport(boost::asio::any_io_executor core, std::uint64_t id, Receive receive);
  UdpTransport(const UdpTransport&) = delete;
  UdpTransport& operator=(const UdpTransport&) = delete;

  // Binds; "listen" error naming the address on failure.
  Result<void> open(const std::string& host, std::uint16_t port);
  void start();
  void close();
  void sendTo(std::string bytes, const boost::asio::ip::udp::endpoint& to);

  std::uint64_t id() const { return id_; }
  const boost::asio::ip::udp::endpoint& local() const { return local_; }

 private:
  boost::asio::awaitable<void> receiveLoop();

  boost::asio::ip::udp::socket socket_;
  std::uint64_t id_;
  Receive receive_;
  boost::asio::ip::udp::endpoint local_;
};

}  // namespace impd::sip
