#pragma once
// The typed configuration (INTERFACES.md "Config keys"). load() validates everything before the
// server starts; a bad file never yields a half-filled Config.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace impd::config {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "::1"
  std::uint16_t port = 0;
};

struct Server {
  std::vector<std::string> domains;  // prepared (IDNA U-label, lower case), unique
  std::string node = "node1";
  std::filesystem::path dataDir;     // absolute (resolved against the config file's folder)
  std::string logLevel = "info";     // [server] log_level
};

struct Storage {
  std::string backend = "sqlite";    // sqlite | postgresql
  std::string url;                   // postgresql only
};

struct Tls {
  std::filesystem::path certificate;  // absolute; empty: generate a self-signed one in data_dir
  std::filesystem::path key;
  std::filesystem::path caFile;       // empty: system store
};

struct Dns {
  std::vector<ListenAddress> servers;
};

struct C2s {
  std::vector<ListenAddress> listen{{"127.0.0.1", 5222}};
  std::vector<ListenAddress> directTlsListen;  // XEP-0368 direct TLS ([xmpp.c2s] direct_tls)
  std::string tls = "required";                // required | optional
  // Safety limits ([xmpp.c2s] ...).
  std::size_t maxStanzaBytes = 256 * 1024;
  unsigned maxConnectionsPerIp = 200;          // open connections from one address
  unsigned connectRatePerIp = 50;              // new connections per second from one address
  unsigned authFailuresBeforeClose = 3;        // failed SASL attempts per stream
  unsigned authFailuresPerIpPerMinute = 30;    // then further attempts from the IP are refused
  unsigned bytesPerSecond = 1 << 20;           // per connection read budget (token bucket)
  unsigned idleTimeoutSeconds = 300;           // close a stream silent this long
  unsigned negotiationTimeoutSeconds = 30;     // time to reach a bound session
  unsigned keepaliveSeconds = 60;              // whitespace ping when we have sent nothing
  unsigned smResumeTimeoutSeconds = 300;       // XEP-0198 resumption window
  std::size_t offlineLimit = 1000;             // stored messages per user
};

struct Config {
  std::filesystem::path file;  // absolute path of the file loaded
  Server server;
  Storage storage;
  Tls tls;
  Dns dns;
  C2s c2s;
  std::string adminListen = "127.0.0.1:5280";
  // Later subsystems (s2s, SIP) keep their raw sections until their issues give them types;
  // the validator still rejects unknown top-level keys so typos never pass silently.
};

// Reads and validates a file. The Error message names the file, the key and what is wrong,
// e.g. "impd.toml: server.domains: must not be empty".
Result<Config> load(const std::filesystem::path& file);

}  // namespace impd::config
