#include "harness.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace impd::loadgen {

namespace asio = boost::asio;

double cpuSeconds(int pid) {
  if (pid == 0) {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string skip;
  for (int i = 0; i < 11; ++i) fields >> skip;  // fields 3..13
  double utime = 0, stime = 0;
  fields >> utime >> stime;  // fields 14, 15: clock ticks
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string CpuWindow::json(double seconds) const {
  const double self = cpuSeconds(0) - self0;
  std::string out = fmt::format("\"loadgen_cpu_s\": {:.3f}, \"loadgen_cpu_share\": {:.3f}", self, self / seconds);
  if (serverPid) out += fmt::format(", \"server_cpu_s\": {:.3f}", cpuSeconds(serverPid) - server0);
  if (server2Pid) out += fmt::format(", \"server2_cpu_s\": {:.3f}", cpuSeconds(server2Pid) - server20);
  return out;
}

std::string percentiles(std::vector<std::int64_t>& ns, const char* name) {
  if (ns.empty()) return fmt::format("\"{0}_p50_ms\": null, \"{0}_p99_ms\": null", name);
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) { return ns[std::min(ns.size() - 1, static_cast<std::size_t>(q * ns.size()))] / 1e6; };
  return fmt::format("\"{0}_p50_ms\": {1:.3f}, \"{0}_p99_ms\": {2:.3f}", name, at(0.50), at(0.99));
}

Pool::Pool(unsigned threads) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    guards_.emplace_back(contexts_.back()->get_executor());  // run() waits for stop()
  }
}

void Pool::run() {
  std::vector<std::thread> threads;
  for (auto& c : contexts_) threads.emplace_back([c = c.get()] { c->run(); });
  for (auto& t : threads) t.join();
}

void Pool::stop() {
  for (auto& c : contexts_) c->stop();
}

asio::ip::address sourceFor(const Options& o, std::size_t i) {
  return o.sources.empty() ? asio::ip::address() : o.sources[i % o.sources.size()];
}

std::string user(const Options& o, std::size_t i) { return o.userPrefix + std::to_string(i); }

asio::awaitable<void> SignInPhase::worker() {
  for (;;) {
    std::size_t i = next.fetch_add(1);
    if (i >= clients.size()) co_return;
    if (!co_await clients[i]->signIn()) {
      failed++;
      std::lock_guard lock(mutex);
      if (firstError.empty()) firstError = clients[i]->why();
    }
    finished++;
  }
}

void waitUntil(const std::function<bool()>& done, double timeoutSeconds) {
  const auto deadline = Clock::now() + std::chrono::duration<double>(timeoutSeconds);
  while (!done() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

SignedIn::SignedIn(const Options& o, std::size_t count, double timeoutSeconds, const ServerOf& serverOf)
    : pool(o.threads) {
  for (std::size_t i = 0; i < count; ++i) {
    const ClientSettings& server = serverOf ? serverOf(i) : o.client;
    phase.clients.push_back(std::make_unique<Client>(pool.at(i), server, user(o, i), sourceFor(o, i)));
  }
  for (unsigned lane = 0; lane < std::max(1u, o.concurrency); ++lane) {
    asio::co_spawn(pool.at(lane), phase.worker(), asio::detached);
  }
  const auto start = Clock::now();
  runner = std::thread([this] { pool.run(); });
  waitUntil([this] { return phase.finished.load() >= phase.clients.size(); }, timeoutSeconds);
  seconds = std::chrono::duration<double>(Clock::now() - start).count();
}

void SignedIn::stop() {
  if (!runner.joinable()) return;
  pool.stop();
  runner.join();
}

std::string SignedIn::error() const {
  return fmt::format("{{\"error\": \"{} of {} sign-ins failed; first: {}\"}}", phase.failed.load(),
                     phase.clients.size(), phase.firstError);
}

std::int64_t stampOf(std::string_view text) {
  std::int64_t value = 0;
  if (text.size() < 2 || text[0] != 't') return -1;
  std::from_chars(text.data() + 1, text.data() + text.size(), value);
  return value;
}

}  // namespace impd::loadgen
