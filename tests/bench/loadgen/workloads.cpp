// The sign-in, message, s2s and idle workloads; presence has a file of its own.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <iostream>

#include "harness.h"

namespace impd::loadgen {

namespace asio = boost::asio;
using asio::awaitable;

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
