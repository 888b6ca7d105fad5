#pragma once
// Private to impd_dns: a c-ares channel driven by one Asio io_context.
//
// How c-ares is tied to Asio, and why this way:
//  - c-ares reports every socket it opens or closes, and whether it wants to read or write,
//    through ARES_OPT_SOCK_STATE_CB. Each such socket is watched with a posix::stream_descriptor
//    and async_wait(), and ares_process_fd() runs only for the socket that became ready. Unlike
//    a polling timer this costs nothing while idle and adds no latency to answers.
//  - A steady_timer set from ares_timeout() drives c-ares' own retransmissions and time-outs;
//    without it a query whose server never answers would wait forever.
//  - A stream_descriptor closes its descriptor when destroyed, but the socket belongs to
//    c-ares. The descriptor is therefore release()d (which also cancels its waits) when c-ares
//    says the socket is done, before c-ares closes it; nothing here ever closes a c-ares socket.
//  - c-ares may close a socket and open another with the same number inside one call. Every
//    watched socket has a generation number, and a wait completion for an older generation is
//    dropped.
//  - Asio's epoll reactor is edge-triggered and async_wait() does not read, so an answer left
//    unread would never be reported again. After each read readiness, ares_process_fd() is
//    repeated while poll() still shows the socket readable.
// Not thread-safe: create it, query it and destroy it on the thread running its io_context.
#include <ares.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/result.h"

namespace impd::dns::detail {

namespace asio = boost::asio;

struct ChannelSettings {
  std::vector<asio::ip::udp::endpoint> servers;  // empty: /etc/resolv.conf
  std::chrono::milliseconds timeout{2000};
  int tries = 2;
  bool hostsFile = false;
};

class CaresChannel : public std::enable_shared_from_this<CaresChannel> {
 public:
  explicit CaresChannel(asio::io_context& io);
  ~CaresChannel();
  CaresChannel(const CaresChannel&) = delete;
  CaresChannel& operator=(const CaresChannel&) = delete;

  // Once, right after construction through std::make_shared.
  Result<void> init(const ChannelSettings& settings);

  ares_channel get() const { return channel_; }
  // The servers c-ares will ask, as it reports them.
  std::vector<asio::ip::udp::endpoint> servers() const;
  // After a query was started: arms the time-out timer.
  void started() { scheduleTimeout(); }

 private:
  struct Watched {
    asio::posix::stream_descriptor descriptor;
    std::uint64_t generation = 0;
    bool wantRead = false, wantWrite = false;
    bool reading = false, writing = false;
  };

  static void onSocketState(void* self, ares_socket_t fd, int readable, int writable);
  void watch(ares_socket_t fd, bool read, bool write);
  void unwatch(ares_socket_t fd);
  void arm(ares_socket_t fd);
  void onReady(ares_socket_t fd, std::uint64_t generation, bool write);
  bool stillWatched(ares_socket_t fd, std::uint64_t generation) const;
  void scheduleTimeout();

  asio::io_context& io_;
  ares_channel channel_ = nullptr;
  asio::steady_timer timer_;
  std::unordered_map<ares_socket_t, Watched> sockets_;
  std::uint64_t nextGeneration_ = 1;
};

}  // namespace impd::dns::detail
