#pragma once
// In-memory records. Tests use it as the fake DNS; the server puts it in front of the real
// resolver to serve [[xmpp.s2s.route]] static routes. Every name it holds is answered from
// memory (an empty SRV set included); other names go to the fall-back resolver, or, without
// one, have no records.
#include <map>
#include <memory>

#include "dns/resolver.h"

namespace impd::dns {

class StaticResolver final : public Resolver {
 public:
  explicit StaticResolver(std::unique_ptr<Resolver> fallback = nullptr);

  // Records, or an Error to simulate a failing lookup (e.g. makeError("dns-timeout")).
  void setSrv(std::string_view name, Result<std::vector<SrvRecord>> answer);
  void setAddresses(std::string_view host, Result<std::vector<asio::ip::address>> answer);
  // A static route: s2s for `domain` goes to host:port with STARTTLS, and the domain is
  // answered from memory for both XMPP SRV names, so no DNS query ever leaves for it.
  void addRoute(std::string_view domain, std::string_view host, std::uint16_t port);

  asio::awaitable<Result<std::vector<SrvRecord>>> srv(std::string name) override;
  asio::awaitable<Result<std::vector<asio::ip::address>>> addresses(std::string host) override;

  // Lookups answered so far (from memory or through the fall-back), for tests.
  std::size_t lookups() const { return lookups_; }

 private:
  std::unique_ptr<Resolver> fallback_;
  std::map<std::string, Result<std::vector<SrvRecord>>, std::less<>> srv_;
  std::map<std::string, Result<std::vector<asio::ip::address>>, std::less<>> addresses_;
  std::size_t lookups_ = 0;
};

}  // namespace impd::dns
