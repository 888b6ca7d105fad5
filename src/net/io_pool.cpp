#include "net/io_pool.h"

#include "base/log.h"

namespace impd::net {

IoPool::IoPool(unsigned threads) {
  if (threads == 0) threads = 1;
  for (unsigned i = 0; i < threads; ++i) {
    // Concurrency hint 1: each context is only ever run by its own thread, which lets Asio
    // skip internal locking.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

IoPool::~IoPool() {
  stop();
  join();
}

boost::asio::io_context& IoPool::next() {
  return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void IoPool::start() {
  for (auto& ctx : contexts_) {
    threads_.emplace_back([c = ctx.get()] {
      for (;;) {
        try {
          c->run();
          return;
        } catch (const std::exception& e) {
          // A handler threw: that is a bug, but one connection's bug must not stop the
          // thread that serves every other connection pinned here.
          logger("net")->error("unhandled exception in I/O thread: {}", e.what());
        }
      }
    });
  }
}

void IoPool::releaseWork() { guards_.clear(); }

void IoPool::stop() {
  for (auto& ctx : contexts_) ctx->stop();
}

void IoPool::join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace impd::net
