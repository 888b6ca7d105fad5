#pragma once
// A token bucket on an injected clock: `rate` tokens per second, at most `burst` saved up.
// Used for per-connection byte budgets and per-address connection/auth rates.
#include <algorithm>
#include <chrono>

#include "base/clock.h"

namespace impd::net {

class TokenBucket {
 public:
  TokenBucket(double rate, double burst, Clock::Steady::time_point now)
      : rate_(rate), burst_(burst), tokens_(burst), last_(now) {}

  // Takes n tokens; the balance may go negative (the debt is paid by waiting).
  void consume(double n, Clock::Steady::time_point now) {
    refill(now);
    tokens_ -= n;
  }
  // Takes one token if available.
  bool tryTake(Clock::Steady::time_point now) {
    refill(now);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }
  // How long until the balance is back at zero (zero when not in debt).
  std::chrono::milliseconds debtDelay() const {
    if (tokens_ >= 0 || rate_ <= 0) return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(static_cast<long>(-tokens_ * 1000.0 / rate_) + 1);
  }

 private:
  void refill(Clock::Steady::time_point now) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
  }
  double rate_, burst_, tokens_;
  Clock::Steady::time_point last_;
};

}  // namespace impd::net
