#pragma once
// Runs blocking work (SQLite, libpq) on a thread of its own so I/O threads never block.
// `co_await worker.run(fn)` executes fn on the worker and resumes the caller on its own
// executor with fn's result. One worker thread also serializes every read-modify-write of the
// store, which is what makes a roster state transition atomic without further locking.
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>
#include <utility>

namespace impd::core {

class BlockingWorker {
 public:
  BlockingWorker() : pool_(1) {}
  ~BlockingWorker() { pool_.join(); }

  // fn should capture by reference only (the caller's frame outlives the call): g++ 12
  // relocates lambda temporaries in a co_await expression bitwise, which corrupts a captured
  // std::string or anything else that points into itself.
  template <typename F>
  auto run(F fn) {
    using R = std::invoke_result_t<F>;
    using Signature = std::conditional_t<std::is_void_v<R>, void(), void(R)>;
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, Signature>(
        [this](auto handler, F work) {
          boost::asio::post(pool_, [work = std::move(work), handler = std::move(handler)]() mutable {
            auto home = boost::asio::get_associated_executor(handler);
            if constexpr (std::is_void_v<R>) {
              work();
              boost::asio::post(home, std::move(handler));
            } else {
              boost::asio::post(home, [h = std::move(handler), r = work()]() mutable {
                std::move(h)(std::move(r));
              });
            }
          });
        },
        boost::asio::use_awaitable, std::move(fn));
  }

  // Fire and forget (e.g. storing an offline message from a non-coroutine path).
  template <typename F>
  void post(F fn) {
    boost::asio::post(pool_, std::move(fn));
  }

  void join() { pool_.join(); }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace impd::core
