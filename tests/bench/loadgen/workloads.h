#pragma once
// The benchmark workloads (tests/bench/README.md). Each signs in its users, does its work
// and returns figures as JSON text (one object), measured only inside its measurement window.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <string>
#include <vector>

#include "client.h"

namespace impd::loadgen {

struct Options {
  ClientSettings client;
  ClientSettings client2;  // s2s: the second server and its domain (the receivers')
  std::vector<boost::asio::ip::address> sources;  // round robin per connection
  std::string userPrefix = "u";
  unsigned threads = 2;
  unsigned users = 100;       // signin/idle: sign-ins; messages, s2s: pairs; presence: contacts
  unsigned concurrency = 50;  // sign-ins in flight
  unsigned window = 10;       // messages in flight per sender
  double seconds = 5;         // measurement window (messages) or rounds limit (presence)
  unsigned rounds = 20;       // presence changes
  bool resume = false;        // signin: resume TLS sessions after the first handshake
  unsigned distinct = 100;    // signin: users cycled through
  int serverPid = 0;          // when set, the server's CPU time in the window is reported
  int server2Pid = 0;         // s2s: the same for the second server
};

std::string runSignIn(const Options& options);
std::string runMessages(const Options& options);
// The messages workload across s2s: each pair has one user on each server.
std::string runS2s(const Options& options);
std::string runPresence(const Options& options);
// Signs in and stays; prints {"ready": n} and waits until stdin closes.
std::string runIdle(const Options& options);

}  // namespace impd::loadgen
