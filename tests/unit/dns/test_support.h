#pragma once
// Deterministic randomness and a synchronous way to run one coroutine, for the DNS tests.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <random>

#include "base/random.h"

namespace impd::dns::test {

// A reproducible stream of random bytes.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  void fill(void* out, std::size_t n) override {
    auto* p = static_cast<unsigned char*>(out);
    for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<unsigned char>(engine_());
  }

 private:
  std::mt19937_64 engine_;
};

// Hands out the given 64-bit values in order (then zeros), for exact draws.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::deque<std::uint64_t> values) : values_(std::move(values)) {}
  void fill(void* out, std::size_t n) override {
    std::uint64_t v = 0;
    if (!values_.empty()) {
      v = values_.front();
      values_.pop_front();
    }
    std::memset(out, 0, n);
    std::memcpy(out, &v, n < sizeof v ? n : sizeof v);
  }

 private:
  std::deque<std::uint64_t> values_;
};

// Runs `make()` (which returns an awaitable) on `io` until it finishes or `limit` passes.
template <typename Make>
auto runCoroutine(boost::asio::io_context& io, Make make,
                  std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  using Value = typename decltype(make())::value_type;
  std::optional<Value> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await make()); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.restart();
  io.run_for(limit);
  return out;
}

}  // namespace impd::dns::test
