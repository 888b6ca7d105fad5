#include "net/address_guard.h"

namespace impd::net {

AddressGuard::Entry& AddressGuard::entry(const std::string& address) {
  auto it = entries_.find(address);
  if (it != entries_.end()) return it->second;
  if (entries_.size() > 100'000) forgetIdle();
  auto now = clock_.now();
  double connectBurst = limits_.connectsPerSecond;
  double authBurst = limits_.authFailuresPerMinute;
  return entries_
      .emplace(address, Entry{0, TokenBucket(limits_.connectsPerSecond, connectBurst, now),
                              TokenBucket(limits_.authFailuresPerMinute / 60.0, authBurst, now)})
      .first->second;
}

// Bounds memory when many addresses come and go: addresses with nothing open are dropped
// (they lose their rate history, which only ever errs towards admitting).
void AddressGuard::forgetIdle() { std::erase_if(entries_, [](const auto& kv) { return kv.second.open == 0; }); }

bool AddressGuard::admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  Entry& e = entry(address);
  if (e.open >= limits_.maxConnections) return false;
  if (!e.connects.tryTake(clock_.now())) return false;
  ++e.open;
  return true;
}

void AddressGuard::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(address);
  if (it != entries_.end() && it->second.open > 0) --it->second.open;
}

bool AddressGuard::mayAuthenticate(const std::string& address) {
  std::lock_guard lock(mutex_);
  Entry& e = entry(address);
  // Peek: a failure budget below one token means the address is throttled.
  TokenBucket probe = e.authFailures;
  return probe.tryTake(clock_.now());
}

void AddressGuard::recordAuthFailure(const std::string& address) {
  std::lock_guard lock(mutex_);
  entry(address).authFailures.consume(1, clock_.now());
}

}  // namespace impd::net
