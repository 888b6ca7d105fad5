#pragma once
// An outgoing TCP connection with a time limit: a target that does not answer must not hold
// up the next one for the kernel's minutes-long SYN retries.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>

namespace impd::net {

// Connects `socket` (open or not) to `endpoint`; asio::error::timed_out when `limit` passes.
boost::asio::awaitable<boost::system::error_code> connectWithin(boost::asio::ip::tcp::socket& socket,
                                                                const boost::asio::ip::tcp::endpoint& endpoint,
                                                                std::chrono::steady_clock::duration limit);

}  // namespace impd::net
