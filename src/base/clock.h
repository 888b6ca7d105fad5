#pragma once
// Time is injected so that state machines (rate limits, time-outs, stream management) are
// tested with a fake clock instead of sleeping.
#include <chrono>

namespace impd {

class Clock {
 public:
  using Steady = std::chrono::steady_clock;
  using System = std::chrono::system_clock;
  virtual ~Clock() = default;
  virtual Steady::time_point now() const = 0;
  virtual System::time_point wallNow() const = 0;
};

class SystemClock final : public Clock {
 public:
  Steady::time_point now() const override { return Steady::now(); }
  System::time_point wallNow() const override { return System::now(); }
  static SystemClock& instance();
};

class FakeClock final : public Clock {
 public:
  Steady::time_point now() const override { return steady_; }
  System::time_point wallNow() const override { return wall_; }
  void advance(std::chrono::nanoseconds d) { steady_ += d; wall_ += std::chrono::duration_cast<System::duration>(d); }

 private:
  Steady::time_point steady_{std::chrono::hours(1)};
  System::time_point wall_{std::chrono::seconds(1'700'000'000)};
};

// XEP-0082 date-time in UTC, e.g. 2026-11-25T22:11:31Z (for delay stamps).
#include <string>
std::string formatXmppTimestamp(Clock::System::time_point t);

}  // namespace impd
