#pragma once
// The production resolver: c-ares, asking only the configured servers ([dns] servers) when
// there are any, driven by one io_context (see cares_channel.h for how and why).
// Create, use and destroy it on the thread running that io_context; one per context.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <memory>

#include "dns/resolver.h"

namespace impd::dns {

namespace detail {
class CaresChannel;
}

class CaresResolver final : public Resolver {
 public:
  struct Options {
    // Only these servers are asked (UDP, and TCP on the same port for truncated answers).
    // Empty: the system configuration in /etc/resolv.conf.
    std::vector<asio::ip::udp::endpoint> servers;
    std::chrono::milliseconds timeout{2000};  // per try; c-ares backs off on later tries
    int tries = 2;                            // per server
    bool hostsFile = false;                   // addresses(): /etc/hosts before DNS
  };

  static Result<std::unique_ptr<CaresResolver>> create(asio::io_context& io, Options options);
  // Pending lookups complete with "dns-cancelled".
  ~CaresResolver() override;

  asio::awaitable<Result<std::vector<SrvRecord>>> srv(std::string name) override;
  asio::awaitable<Result<std::vector<asio::ip::address>>> addresses(std::string host) override;

  // The servers actually in use, as c-ares reports them (for `--check` and diagnostics).
  std::vector<asio::ip::udp::endpoint> servers() const;

 private:
  explicit CaresResolver(std::shared_ptr<detail::CaresChannel> channel);
  std::shared_ptr<detail::CaresChannel> channel_;
};

// A `[dns] servers` entry: "ip", "ip:port", "[ipv6]" or "[ipv6]:port" (port 53 by default).
Result<asio::ip::udp::endpoint> parseServerAddress(std::string_view text);

}  // namespace impd::dns
