#include "net/write_queue.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace impd::net {

namespace asio = boost::asio;

WriteQueue::WriteQueue(asio::any_io_executor executor, std::size_t limit)
    : executor_(std::move(executor)), limit_(limit) {}

bool WriteQueue::push(std::string bytes, StreamSocket& socket, std::shared_ptr<void> owner) {
  if (bytes_ + bytes.size() > limit_) return false;
  bytes_ += bytes.size();
  queue_.push_back(std::move(bytes));
  if (!writing_) {
    writing_ = true;
    asio::post(executor_, [this, &socket, owner = std::move(owner)]() mutable {
      sendReady(socket, std::move(owner));
    });
  }
  return true;
}

std::string WriteQueue::takeBatch() {
  std::string batch;
  if (queue_.size() == 1) {
    batch = std::move(queue_.front());
  } else {
    batch.reserve(bytes_);
    for (const std::string& chunk : queue_) batch += chunk;
  }
  queue_.clear();
  bytes_ = 0;
  return batch;
}

void WriteQueue::sendReady(StreamSocket& socket, std::shared_ptr<void> owner) {
  if (!socket.isOpen()) {
    finish();
    return;
  }
  std::string batch = takeBatch();
  StreamSocket::ErrorCode ec;
  const std::size_t sent = socket.writeReady(asio::buffer(batch), ec);
  if (ec) {
    socket.close();
    finish();
    return;
  }
  if (sent == batch.size() && !socket.hasUnsentOutput()) {
    finish();
    return;
  }
  batch.erase(0, sent);
  asio::co_spawn(
      executor_,
      [this, &socket, rest = std::move(batch), owner = std::move(owner)]() mutable {
        return sendWaiting(socket, std::move(rest), std::move(owner));
      },
      asio::detached);
}

asio::awaitable<void> WriteQueue::sendWaiting(StreamSocket& socket, std::string rest,
                                              std::shared_ptr<void> owner) {
  // `owner` is a parameter so the coroutine frame keeps the connection alive.
  for (;;) {
    StreamSocket::ErrorCode ec;
    co_await socket.writeAll(asio::buffer(rest), ec);
    if (ec) {
      socket.close();
      break;
    }
    if (queue_.empty() || !socket.isOpen()) break;
    rest = takeBatch();
  }
  finish();
}

void WriteQueue::finish() {
  queue_.clear();
  bytes_ = 0;
  writing_ = false;
  if (drained_) drained_->cancel();
}

asio::awaitable<void> WriteQueue::drained() {
  while (writing_) {
    if (!drained_) drained_ = std::make_unique<asio::steady_timer>(executor_);
    drained_->expires_at(asio::steady_timer::time_point::max());
    co_await drained_->async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace impd::net
