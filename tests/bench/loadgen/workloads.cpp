#include "workloads.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

namespace impd::loadgen {

namespace asio = boost::asio;
using asio::awaitable;
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

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

double serverCpuSeconds(int pid) { return pid ? cpuSeconds(pid) : 0; }  // 0: not known

// CPU seconds of this process and (when known) the servers, over a window.
struct CpuWindow {
  int serverPid = 0, server2Pid = 0;  // the second one only for s2s
  double self0 = cpuSeconds(0), server0 = serverCpuSeconds(serverPid), server20 = serverCpuSeconds(server2Pid);
  std::string json(double seconds) const {
    const double self = cpuSeconds(0) - self0;
    std::string out = fmt::format("\"loadgen_cpu_s\": {:.3f}, \"loadgen_cpu_share\": {:.3f}", self, self / seconds);
    if (serverPid) out += fmt::format(", \"server_cpu_s\": {:.3f}", cpuSeconds(serverPid) - server0);
    if (server2Pid) out += fmt::format(", \"server2_cpu_s\": {:.3f}", cpuSeconds(server2Pid) - server20);
    return out;
  }
};

std::string percentiles(std::vector<std::int64_t>& ns, const char* name) {
  if (ns.empty()) return fmt::format("\"{0}_p50_ms\": null, \"{0}_p99_ms\": null", name);
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) { return ns[std::min(ns.size() - 1, static_cast<std::size_t>(q * ns.size()))] / 1e6; };
  return fmt::format("\"{0}_p50_ms\": {1:.3f}, \"{0}_p99_ms\": {2:.3f}", name, at(0.50), at(0.99));
}

// One io_context per thread; clients are spread over them round robin.
class Pool {
 public:
  explicit Pool(unsigned threads) {
    for (unsigned i = 0; i < std::max(1u, threads); ++i) {
      contexts_.push_back(std::make_unique<asio::io_context>(1));
      guards_.emplace_back(contexts_.back()->get_executor());  // run() waits for stop()
    }
  }
  asio::io_context& at(std::size_t i) { return *contexts_[i % contexts_.size()]; }
  std::size_t size() const { return contexts_.size(); }
  void run() {
    std::vector<std::thread> threads;
    for (auto& c : contexts_) threads.emplace_back([c = c.get()] { c->run(); });
    for (auto& t : threads) t.join();
  }
  void stop() {
    for (auto& c : contexts_) c->stop();
  }

 private:
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
};

asio::ip::address sourceFor(const Options& o, std::size_t i) {
  return o.sources.empty() ? asio::ip::address() : o.sources[i % o.sources.size()];
}

std::string user(const Options& o, std::size_t i) { return o.userPrefix + std::to_string(i); }

// Signs in its clients with at most `concurrency` workers; finished counts those tried.
struct SignInPhase {
  std::vector<std::unique_ptr<Client>> clients;
  std::atomic<std::size_t> next{0}, finished{0}, failed{0};
  std::mutex mutex;
  std::string firstError;

  awaitable<void> worker() {
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
};

// Polls finely: a presence round to 100 contacts takes about a millisecond, and the poll
// interval bounds how many rounds a second the workload can run.
void waitUntil(const std::function<bool()>& done, double timeoutSeconds) {
  const auto deadline = Clock::now() + std::chrono::duration<double>(timeoutSeconds);
  while (!done() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::microseconds(100));
}

// Which server (address and domain) client i signs in to; the settings must outlive the client.
using ServerOf = std::function<const ClientSettings&(std::size_t)>;

// Users [0, count) signed in on a pool that keeps running, so a workload can post its work
// onto the clients' threads; stop() (or the destructor) ends it. All sign in to o.client's
// server unless serverOf places them.
struct SignedIn {
  SignedIn(const Options& o, std::size_t count, double timeoutSeconds, const ServerOf& serverOf = {})
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
  ~SignedIn() { stop(); }
  void stop() {
    if (!runner.joinable()) return;
    pool.stop();
    runner.join();
  }
  bool ok() const { return phase.failed == 0 && phase.finished >= phase.clients.size(); }
  std::string error() const {
    return fmt::format("{{\"error\": \"{} of {} sign-ins failed; first: {}\"}}", phase.failed.load(),
                       phase.clients.size(), phase.firstError);
  }

  Pool pool;
  SignInPhase phase;
  std::thread runner;
  double seconds = 0;
};

std::int64_t stampOf(std::string_view text) {
  std::int64_t value = 0;
  if (text.size() < 2 || text[0] != 't') return -1;
  std::from_chars(text.data() + 1, text.data() + text.size(), value);
  return value;
}

}  // namespace

std::string runSignIn(const Options& o) {
  Pool pool(o.threads);
  std::atomic<std::size_t> next{0}, done{0}, failed{0}, resumed{0};
  std::mutex mutex;
  std::vector<std::int64_t> latencies;
  std::string firstError;
  auto worker = [&](std::size_t lane) -> awaitable<void> {
    SSL_SESSION* session = nullptr;
    std::vector<std::int64_t> mine;
    for (;;) {
      std::size_t i = next.fetch_add(1);
      if (i >= o.users) break;
      Client client(pool.at(lane), o.client, user(o, i % std::max(1u, o.distinct)), sourceFor(o, i));
      const auto start = nowNs();
      if (co_await client.signIn(o.resume ? session : nullptr)) {
        mine.push_back(nowNs() - start);
        if (o.resume && session == nullptr) session = client.takeSession();
        if (o.resume && session != nullptr) resumed++;
      } else {
        failed++;
        std::lock_guard lock(mutex);
        if (firstError.empty()) firstError = client.why();
      }
      co_await client.closeNow();
      done++;
    }
    if (session) SSL_SESSION_free(session);
    std::lock_guard lock(mutex);
    latencies.insert(latencies.end(), mine.begin(), mine.end());
  };
  // Lambda coroutines are started through a function of their own so their captures outlive them.
  for (unsigned lane = 0; lane < std::max(1u, o.concurrency); ++lane) {
    asio::co_spawn(pool.at(lane), [&worker, lane] { return worker(lane); }, asio::detached);
  }
  CpuWindow cpu{o.serverPid};
  const auto start = Clock::now();
  std::thread runner([&] { pool.run(); });
  waitUntil([&] { return done.load() >= o.users; }, 600);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const std::string cpuJson = cpu.json(elapsed);
  pool.stop();
  runner.join();
  if (failed > 0) return fmt::format("{{\"error\": \"{} sign-ins failed; first: {}\"}}", failed.load(), firstError);
  return fmt::format("{{\"workload\": \"signin\", \"signins\": {}, \"seconds\": {:.3f}, \"signins_per_s\": {:.1f}, "
                     "{}, {}}}",
                     o.users, elapsed, o.users / elapsed, percentiles(latencies, "signin"), cpuJson);
}

namespace {

// N pairs (clients 2k and 2k+1) chat in a closed loop. `across`: client 2k signs in to the
// first server and its partner to the second, so every message crosses s2s, both ways.
std::string chat(const Options& o, bool across) {
  const ServerOf serverOf = [&o, across](std::size_t i) -> const ClientSettings& {
    return across && i % 2 == 1 ? o.client2 : o.client;
  };
  SignedIn s(o, 2 * o.users, 600, serverOf);
  if (!s.ok()) return s.error();
  auto& pool = s.pool;
  auto& phase = s.phase;

  std::atomic<bool> measuring{false}, stopping{false}, answered{false};
  std::atomic<std::uint64_t> delivered{0}, bounced{0};
  std::vector<std::int64_t> latencies;
  std::vector<std::vector<std::int64_t>> perClient(phase.clients.size());
  auto message = [](const std::string& to) {
    return "<message type='chat' to='" + to + "'><body>t" + std::to_string(nowNs()) + "</body></message>";
  };
  for (std::size_t i = 0; i < phase.clients.size(); ++i) {
    Client& self = *phase.clients[i];
    Client& partner = *phase.clients[i ^ 1];
    asio::post(pool.at(i), [&, i] {
      self.send("<presence/>");
      asio::co_spawn(pool.at(i), self.readLoop([&, i](Client& me, const xml::Element& e) {
        if (e.name() != "message") return;
        // A bounce (e.g. remote-server-not-found) carries our body back: not a delivery.
        if (e.attr("type") == "error") {
          bounced.fetch_add(1, std::memory_order_relaxed);
          return;
        }
        const std::string body = e.childText("body");
        if (body == "ping") {
          me.send("<message type='chat' to='" + partner.jid() + "'><body>pong</body></message>");
          return;
        }
        if (body == "pong") {
          answered = true;
          return;
        }
        const std::int64_t stamp = stampOf(body);
        if (stamp < 0) return;
        if (measuring.load(std::memory_order_relaxed)) {
          delivered.fetch_add(1, std::memory_order_relaxed);
          perClient[i].push_back(nowNs() - stamp);
        }
        // Closed loop: every delivery lets the receiver send one more to its partner.
        if (!stopping.load(std::memory_order_relaxed)) me.send(message(partner.jid()));
      }), asio::detached);
    });
  }
  // s2s: one message each way (ping, pong) before any load, so setting up the streams (DNS,
  // TLS, SASL EXTERNAL or dialback) is not measured and no burst waits in a queue for it.
  double setupMs = 0;
  if (across) {
    const auto pinged = Clock::now();
    asio::post(pool.at(0), [&] {
      phase.clients[0]->send("<message type='chat' to='" + phase.clients[1]->jid() + "'><body>ping</body></message>");
    });
    waitUntil([&] { return answered.load(); }, 60);
    if (!answered.load()) {
      s.stop();
      return fmt::format("{{\"error\": \"no s2s: {} got no answer from {} within 60 s ({} bounced)\"}}",
                         phase.clients[0]->jid(), phase.clients[1]->jid(), bounced.load());
    }
    setupMs = std::chrono::duration<double, std::milli>(Clock::now() - pinged).count();
  }
  for (std::size_t i = 0; i < phase.clients.size(); ++i) {
    asio::post(pool.at(i), [&, i] {
      std::string burst;
      for (unsigned w = 0; w < o.window; ++w) burst += message(phase.clients[i ^ 1]->jid());
      phase.clients[i]->send(burst);
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // warm-up
  CpuWindow cpu{o.serverPid, across ? o.server2Pid : 0};
  measuring = true;
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  measuring = false;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const std::string cpuJson = cpu.json(elapsed);
  const std::uint64_t count = delivered.load();
  stopping = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  s.stop();
  for (auto& v : perClient) latencies.insert(latencies.end(), v.begin(), v.end());
  const std::string setupJson = across ? fmt::format("\"s2s_setup_ms\": {:.1f}, ", setupMs) : "";
  return fmt::format("{{\"workload\": \"{}\", \"pairs\": {}, \"window\": {}, \"seconds\": {:.3f}, {}"
                     "\"delivered\": {}, \"bounced\": {}, \"messages_per_s\": {:.1f}, {}, {}}}",
                     across ? "s2s" : "messages", o.users, o.window, elapsed, setupJson, count, bounced.load(),
                     count / elapsed, percentiles(latencies, "latency"), cpuJson);
}

}  // namespace

std::string runMessages(const Options& o) { return chat(o, false); }

std::string runS2s(const Options& o) { return chat(o, true); }

std::string runPresence(const Options& o) {
  // Client 0 is the user whose status changes; 1..users are its contacts.
  SignedIn s(o, o.users + 1, 600);
  if (!s.ok()) return s.error();
  auto& pool = s.pool;
  auto& phase = s.phase;
  Client& fan = *phase.clients[0];
  const std::string fanBare = user(o, 0) + "@" + o.client.domain;
  std::atomic<std::size_t> subscribed{0}, received{0};
  std::vector<std::atomic<bool>> ready(phase.clients.size());
  std::atomic<int> round{-1};
  std::mutex mutex;
  std::vector<std::int64_t> perDelivery, lastOfRound;
  std::vector<std::vector<std::int64_t>> perClient(phase.clients.size());
  std::atomic<std::int64_t> roundStart{0}, lastArrival{0};
  // The contacts subscribe to the fan's presence; the fan approves every request.
  asio::post(pool.at(0), [&] {
    fan.send("<presence/>");
    asio::co_spawn(pool.at(0), fan.readLoop([](Client& me, const xml::Element& e) {
      if (e.name() == "presence" && e.attr("type") == "subscribe") {
        me.send("<presence type='subscribed' to='" + std::string(e.attr("from")) + "'/>");
      }
    }), asio::detached);
  });
  for (std::size_t i = 1; i < phase.clients.size(); ++i) {
    Client& contact = *phase.clients[i];
    asio::post(pool.at(i), [&, i] {
      contact.send("<presence/><presence type='subscribe' to='" + fanBare + "'/>");
      asio::co_spawn(pool.at(i), contact.readLoop([&, i](Client&, const xml::Element& e) {
        if (e.name() != "presence") return;
        const std::string_view from = e.attr("from");
        if (!from.starts_with(fanBare) || (from.size() > fanBare.size() && from[fanBare.size()] != '/')) return;
        // Ready once the fan's presence reaches this contact: 'subscribed' for a new
        // subscription, or the fan's available presence when it exists from an earlier run.
        if (!ready[i].exchange(true)) subscribed++;
        if (e.attr("type") == "subscribed") return;
        const std::int64_t stamp = stampOf(e.childText("status"));
        if (stamp < 0 || round.load() < 0) return;
        const std::int64_t now = nowNs();
        perClient[i].push_back(now - stamp);
        std::int64_t last = lastArrival.load();
        while (now > last && !lastArrival.compare_exchange_weak(last, now)) {
        }
        received++;
      }), asio::detached);
    });
  }
  waitUntil([&] { return subscribed.load() >= o.users; }, 120);
  if (subscribed.load() < o.users) {
    s.stop();
    return fmt::format("{{\"error\": \"only {} of {} contacts got their subscription approved\"}}", subscribed.load(),
                       o.users);
  }
  // Subscription set-up writes rosters; some servers take a while to finish that work. The
  // rounds start once the server has been idle (under 10% of a core) for half a second.
  if (o.serverPid) {
    const auto settleDeadline = Clock::now() + std::chrono::seconds(120);
    double last = cpuSeconds(o.serverPid);
    while (Clock::now() < settleDeadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      const double now = cpuSeconds(o.serverPid);
      if (now - last < 0.05) break;
      last = now;
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // initial broadcasts settle
  // One status change to every contact; false when some contact did not get it in time.
  auto changeStatus = [&](unsigned number) {
    received = 0;
    const std::int64_t sent = nowNs();
    const char* show = number % 2 ? "away" : "dnd";
    asio::post(pool.at(0), [&fan, show, sent] {
      fan.send(fmt::format("<presence><show>{}</show><status>t{}</status></presence>", show, sent));
    });
    waitUntil([&] { return received.load() >= o.users; }, 60);
    if (received.load() < o.users) return false;
    lastOfRound.push_back(lastArrival.load() - sent);
    return true;
  };
  // A first round, not measured, pays the one-time costs (caches, buffers that grow once).
  round = 0;
  const bool warm = changeStatus(1);
  for (auto& v : perClient) v.clear();
  lastOfRound.clear();
  CpuWindow cpu{o.serverPid};
  const auto start = Clock::now();
  unsigned rounds = 0;
  while (warm && rounds < o.rounds && changeStatus(rounds)) ++rounds;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const std::string cpuJson = cpu.json(elapsed);
  s.stop();
  for (auto& v : perClient) perDelivery.insert(perDelivery.end(), v.begin(), v.end());
  if (rounds < o.rounds) {
    return fmt::format("{{\"error\": \"round {} reached only {} of {} contacts\"}}", rounds, received.load(), o.users);
  }
  return fmt::format("{{\"workload\": \"presence\", \"contacts\": {}, \"rounds\": {}, \"seconds\": {:.3f}, "
                     "\"deliveries_per_s\": {:.1f}, {}, {}, {}}}",
                     o.users, rounds, elapsed, static_cast<double>(o.users) * rounds / elapsed,
                     percentiles(perDelivery, "delivery"), percentiles(lastOfRound, "last"), cpuJson);
}

std::string runIdle(const Options& o) {
  SignedIn s(o, o.users, 1800);
  if (!s.ok()) return s.error();
  auto& pool = s.pool;
  auto& phase = s.phase;
  const double elapsed = s.seconds;
  for (std::size_t i = 0; i < phase.clients.size(); ++i) {
    Client& c = *phase.clients[i];
    asio::post(pool.at(i), [&c, &pool, i] {
      c.send("<presence/>");
      asio::co_spawn(pool.at(i), c.readLoop([](Client&, const xml::Element&) {}), asio::detached);
    });
  }
  std::cout << fmt::format("{{\"ready\": {}, \"signin_seconds\": {:.3f}}}", o.users, elapsed) << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  s.stop();
  return fmt::format("{{\"workload\": \"idle\", \"sessions\": {}}}", o.users);
}

}  // namespace impd::loadgen
