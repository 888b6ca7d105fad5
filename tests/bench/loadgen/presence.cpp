// The presence workload: one user changes status and every contact times its delivery.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <condition_variable>

#include "harness.h"
#include "stamp_scanner.h"

namespace impd::loadgen {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

// The shared state of the presence workload: client 0 (the fan) changes status, clients
// 1..users are its contacts and time every delivery of the fan's stamped status.
struct PresenceRun {
  PresenceRun(const Options& o, SignedIn& s)
      : o(o), s(s), fan(*s.phase.clients[0]), fanBare(user(o, 0) + "@" + o.client.domain),
        perClient(s.phase.clients.size()) {}

  // The fan approves every subscription request.
  awaitable<void> fanReads() {
    co_await fan.readLoop([](Client& me, const xml::Element& e) {
      if (e.name() == "presence" && e.attr("type") == "subscribe") {
        me.send("<presence type='subscribed' to='" + std::string(e.attr("from")) + "'/>");
      }
    });
  }

  // A contact reads stanzas until the fan's presence reaches it: 'subscribed' for a new
  // subscription, or the fan's available presence when it exists from an earlier run. Only
  // the fan's presence comes after that, so from then on it just looks for stamps.
  awaitable<void> contactReads(std::size_t i) {
    Client& contact = *s.phase.clients[i];
    const bool open = co_await contact.readWhile([this](Client&, const xml::Element& e) {
      const std::string_view from = e.attr("from");
      return e.name() != "presence" || !from.starts_with(fanBare) ||
             (from.size() > fanBare.size() && from[fanBare.size()] != '/');
    });
    if (!open) co_return;
    subscribed++;
    StampScanner stamps;
    co_await contact.readBytes([this, i, &stamps](std::string_view bytes) {
      stamps.feed(bytes, [this, i](std::int64_t stamp) { arrived(i, stamp); });
    });
  }

  void arrived(std::size_t i, std::int64_t stamp) {
    if (round.load(std::memory_order_relaxed) < 0) return;
    const std::int64_t now = nowNs();
    perClient[i].push_back(now - stamp);
    std::int64_t last = lastArrival.load();
    while (now > last && !lastArrival.compare_exchange_weak(last, now)) {
    }
    if (received.fetch_add(1) + 1 == o.users) {
      std::lock_guard lock(mutex);
      roundDone.notify_one();
    }
  }

  // One status change to every contact; false when some contact did not get it in time.
  bool changeStatus(unsigned number) {
    received = 0;
    const std::int64_t sent = nowNs();
    const char* show = number % 2 ? "away" : "dnd";
    asio::post(s.pool.at(0), [this, show, sent] {
      fan.send(fmt::format("<presence><show>{}</show><status>t{}</status></presence>", show, sent));
    });
    // Woken by the last delivery rather than polling, so the generator spends its CPU on
    // the contacts' connections and the next round starts at once.
    std::unique_lock lock(mutex);
    if (!roundDone.wait_for(lock, std::chrono::seconds(60), [this] { return received.load() >= o.users; })) {
      return false;
    }
    lastOfRound.push_back(lastArrival.load() - sent);
    return true;
  }

  const Options& o;
  SignedIn& s;
  Client& fan;
  const std::string fanBare;
  std::atomic<std::size_t> subscribed{0}, received{0};
  std::atomic<int> round{-1};
  std::mutex mutex;
  std::condition_variable roundDone;
  std::vector<std::int64_t> lastOfRound;
  std::vector<std::vector<std::int64_t>> perClient;  // each written by its client's thread only
  std::atomic<std::int64_t> lastArrival{0};
};

}  // namespace

std::string runPresence(const Options& o) {
  SignedIn s(o, o.users + 1, 600);
  if (!s.ok()) return s.error();
  PresenceRun run(o, s);
  asio::post(s.pool.at(0), [&run, &s] {
    run.fan.send("<presence/>");
    asio::co_spawn(s.pool.at(0), run.fanReads(), asio::detached);
  });
  for (std::size_t i = 1; i < s.phase.clients.size(); ++i) {
    asio::post(s.pool.at(i), [&run, &s, i] {
      s.phase.clients[i]->send("<presence/><presence type='subscribe' to='" + run.fanBare + "'/>");
      asio::co_spawn(s.pool.at(i), run.contactReads(i), asio::detached);
    });
  }
  waitUntil([&] { return run.subscribed.load() >= o.users; }, 120);
  if (run.subscribed.load() < o.users) {
    s.stop();
    return fmt::format("{{\"error\": \"only {} of {} contacts got their subscription approved\"}}",
                       run.subscribed.load(), o.users);
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
  // A first round, not measured, pays the one-time costs (caches, buffers that grow once).
  run.round = 0;
  const bool warm = run.changeStatus(1);
  // Quiet until the next change: the contacts' threads do not touch what is cleared here.
  for (auto& v : run.perClient) v.clear();
  run.lastOfRound.clear();
  CpuWindow cpu{o.serverPid};
  const auto start = Clock::now();
  unsigned rounds = 0;
  while (warm && rounds < o.rounds && run.changeStatus(rounds)) ++rounds;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const std::string cpuJson = cpu.json(elapsed);
  s.stop();
  std::vector<std::int64_t> perDelivery;
  for (auto& v : run.perClient) perDelivery.insert(perDelivery.end(), v.begin(), v.end());
  if (rounds < o.rounds) {
    return fmt::format("{{\"error\": \"round {} reached only {} of {} contacts\"}}", rounds, run.received.load(),
                       o.users);
  }
  return fmt::format("{{\"workload\": \"presence\", \"contacts\": {}, \"rounds\": {}, \"seconds\": {:.3f}, "
                     "\"deliveries_per_s\": {:.1f}, {}, {}, {}}}",
                     o.users, rounds, elapsed, static_cast<double>(o.users) * rounds / elapsed,
                     percentiles(perDelivery, "delivery"), percentiles(run.lastOfRound, "last"), cpuJson);
}

}  // namespace impd::loadgen
