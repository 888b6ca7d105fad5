#pragma once
// One io_context per core, each run by its own thread. Connections are pinned to one context
// for their whole life; work for another connection crosses over with an explicit post.
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace impd::net {

class IoPool {
 public:
  explicit IoPool(unsigned threads);
  ~IoPool();
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  // The context for the next connection (round robin).
  boost::asio::io_context& next();
  boost::asio::io_context& at(std::size_t i) { return *contexts_[i]; }
  std::size_t size() const { return contexts_.size(); }

  void start();
  // Lets run() return once every context has no more work; used for draining.
  void releaseWork();
  void stop();
  void join();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace impd::net
