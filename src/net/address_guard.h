#pragma once
// Per-address admission: concurrent connections, new connections per second and failed
// authentications per minute. Thread-safe; consulted on connect and on auth, never per stanza.
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/clock.h"
#include "net/token_bucket.h"

namespace impd::net {

class AddressGuard {
 public:
  struct Limits {
    unsigned maxConnections = 200;
    unsigned connectsPerSecond = 50;
    unsigned authFailuresPerMinute = 30;
  };
  AddressGuard(Limits limits, Clock& clock) : limits_(limits), clock_(clock) {}

  // True when a new connection from this address is admitted (then release() must follow).
  bool admit(const std::string& address);
  void release(const std::string& address);
  // True while the address may still try to authenticate.
  bool mayAuthenticate(const std::string& address);
  void recordAuthFailure(const std::string& address);

 private:
  struct Entry {
    unsigned open = 0;
    TokenBucket connects;
    TokenBucket authFailures;
  };
  Entry& entry(const std::string& address);
  void forgetIdle();

  Limits limits_;
  Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace impd::net
