#pragma once
// SIP timer values (RFC 3261 §17 and Table 4) and the small deadline record the transaction,
// dialog and subscription machines keep. The machines never sleep or own real timers: they
// store deadlines and the owner asks for the next one and calls onTimer(now) when it is due,
// which is what lets the unit tests drive them with a FakeClock.
#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <optional>

#include "base/clock.h"

namespace impd::sip {

using TimePoint = Clock::Steady::time_point;
using Duration = std::chrono::milliseconds;

struct TimerConfig {
  Duration t1{500};        // RTT estimate; base of every retransmission interval
  Duration t2{4000};       // cap of non-INVITE request and INVITE response retransmission intervals
  Duration t4{5000};       // how long the network may keep a message in flight
  Duration timerD{32000};  // INVITE client linger for response retransmissions (UDP, >= 32 s)
  // How long an INVITE server transaction waits for the TU before answering 100 Trying itself.
  // Zero sends it at once; 200 ms lets a quick TU answer with a better provisional response.
  Duration tryingDelay{200};

  // Timers B, F, H, J, L, M and the RFC 6665 Timer N are all 64*T1.
  Duration timeout() const { return 64 * t1; }
};

// One running timer. `interval` is the value it was last started with, so retransmission
// timers can double it.
struct Timer {
  std::optional<TimePoint> at;
  Duration interval{0};

  void start(TimePoint now, Duration d) {
    at = now + d;
    interval = d;
  }
  void stop() { at.reset(); }
  bool due(TimePoint now) const { return at && *at <= now; }
};

// The earliest of several optional deadlines.
inline std::optional<TimePoint> earliest(std::initializer_list<std::optional<TimePoint>> all) {
  std::optional<TimePoint> best;
  for (const auto& t : all) {
    if (t && (!best || *t < *best)) best = t;
  }
  return best;
}

}  // namespace impd::sip
