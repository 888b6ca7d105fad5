#pragma once
// Blocking socket helpers for the tests that run the SIP service on loopback: a free port,
// a read time-out so a broken service fails a test instead of hanging it, and reading one SIP
// message off a stream by its Content-Length.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <sys/socket.h>
#include <sys/time.h>

#include <cstdint>
#include <string>

namespace impd::sip::test {

inline std::uint16_t freePort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return probe.local_endpoint().port();
}

inline void setReadTimeout(int fd) {
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

// One message from `stream` (anything with read_some), or "" when it ends or times out.
template <typename Stream>
std::string readMessage(Stream& stream, std::string& buffer) {
  for (;;) {
    const auto end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) {
      const auto length = buffer.find("Content-Length: ");
      const std::size_t body = length < end ? std::stoul(buffer.substr(length + 16)) : 0;
      if (buffer.size() >= end + 4 + body) {
        std::string message = buffer.substr(0, end + 4 + body);
        buffer.erase(0, end + 4 + body);
        return message;
      }
    }
    char chunk[4096];
    boost::system::error_code ec;
    const std::size_t n = stream.read_some(boost::asio::buffer(chunk), ec);
    if (ec) return {};
    buffer.append(chunk, n);
  }
}

}  // namespace impd::sip::test
