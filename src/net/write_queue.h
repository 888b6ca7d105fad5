#pragma once
// The sending half of a stream connection (c2s, s2s, SIP over TCP or TLS): whoever has bytes
// for the peer queues them, and one writer sends the queue in order, in batches.
//
// Most writes need no coroutine. The writer first runs as a plain handler posted behind the
// work already queued on the connection's thread, so a burst of stanzas goes out as one
// batch, and it sends what the socket takes without waiting. Only when the socket is full
// does a coroutine wait for room. A presence broadcast to a thousand idle contacts thus costs
// a thousand sends rather than a thousand coroutines.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "net/stream_socket.h"

namespace impd::net {

class WriteQueue {
 public:
  WriteQueue(boost::asio::any_io_executor executor, std::size_t limit);

  // Queues `bytes` for `socket` and makes sure they are sent; `owner` (the connection that
  // holds this queue and the socket) is kept alive until then. Returns false, queueing
  // nothing more, once over `limit` bytes wait: the peer has stopped reading, and the
  // caller closes. A failed send closes the socket.
  bool push(std::string bytes, StreamSocket& socket, std::shared_ptr<void> owner);
  // Nothing queued and nothing being sent.
  bool idle() const { return !writing_; }
  // Returns once idle (at once when it is).
  boost::asio::awaitable<void> drained();

 private:
  void sendReady(StreamSocket& socket, std::shared_ptr<void> owner);
  boost::asio::awaitable<void> sendWaiting(StreamSocket& socket, std::string rest,
                                           std::shared_ptr<void> owner);
  std::string takeBatch();
  void finish();

  boost::asio::any_io_executor executor_;
  std::size_t limit_;
  std::vector<std::string> queue_;
  std::size_t bytes_ = 0;
  bool writing_ = false;
  // Made when somebody waits for the queue to drain; most connections never do.
  std::unique_ptr<boost::asio::steady_timer> drained_;
};

}  // namespace impd::net
