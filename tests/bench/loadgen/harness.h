#pragma once
// What every workload of the load generator shares: the I/O thread pool, signing in a crowd
// of users, CPU accounting over a measurement window and latency percentiles.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "client.h"
#include "workloads.h"

namespace impd::loadgen {

using Clock = std::chrono::steady_clock;

inline std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// CPU seconds (user and system) of this process (pid 0) or of another one.
double cpuSeconds(int pid);

// CPU seconds of this process and (when known) the servers, over a window.
struct CpuWindow {
  int serverPid = 0, server2Pid = 0;  // the second one only for s2s
  double self0 = cpuSeconds(0), server0 = serverPid ? cpuSeconds(serverPid) : 0,
         server20 = server2Pid ? cpuSeconds(server2Pid) : 0;
  std::string json(double seconds) const;
};

// "NAME_p50_ms": ..., "NAME_p99_ms": ... of nanosecond samples (sorted in place).
std::string percentiles(std::vector<std::int64_t>& ns, const char* name);

// One io_context per thread; clients are spread over them round robin.
class Pool {
 public:
  explicit Pool(unsigned threads);
  boost::asio::io_context& at(std::size_t i) { return *contexts_[i % contexts_.size()]; }
  std::size_t size() const { return contexts_.size(); }
  void run();  // until stop()
  void stop();

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
};

boost::asio::ip::address sourceFor(const Options& o, std::size_t i);
std::string user(const Options& o, std::size_t i);

// Signs in its clients with at most `concurrency` workers; finished counts those tried.
struct SignInPhase {
  std::vector<std::unique_ptr<Client>> clients;
  std::atomic<std::size_t> next{0}, finished{0}, failed{0};
  std::mutex mutex;
  std::string firstError;

  boost::asio::awaitable<void> worker();
};

// Polls every millisecond until done() or the timeout: for set-up phases, not for rounds.
void waitUntil(const std::function<bool()>& done, double timeoutSeconds);

// Which server (address and domain) client i signs in to; the settings must outlive the client.
using ServerOf = std::function<const ClientSettings&(std::size_t)>;

// Users [0, count) signed in on a pool that keeps running, so a workload can post its work
// onto the clients' threads; stop() (or the destructor) ends it. All sign in to o.client's
// server unless serverOf places them.
struct SignedIn {
  SignedIn(const Options& o, std::size_t count, double timeoutSeconds, const ServerOf& serverOf = {});
  ~SignedIn() { stop(); }
  void stop();
  bool ok() const { return phase.failed == 0 && phase.finished >= phase.clients.size(); }
  std::string error() const;

  Pool pool;
  SignInPhase phase;
  std::thread runner;
  double seconds = 0;
};

// The send time in a body or status written as "t<nanoseconds>", or -1.
std::int64_t stampOf(std::string_view text);

}  // namespace impd::loadgen
