#include "dns/static_resolver.h"

#include "dns/srv_plan.h"

namespace impd::dns {

StaticResolver::StaticResolver(std::unique_ptr<Resolver> fallback)
    : fallback_(std::move(fallback)) {}

void StaticResolver::setSrv(std::string_view name, Result<std::vector<SrvRecord>> answer) {
  srv_.insert_or_assign(normalizeName(name), std::move(answer));
}

void StaticResolver::setAddresses(std::string_view host,
                                  Result<std::vector<asio::ip::address>> answer) {
  addresses_.insert_or_assign(normalizeName(host), std::move(answer));
}

void StaticResolver::addRoute(std::string_view domain, std::string_view host, std::uint16_t port) {
  setSrv(xmppServerName(domain), std::vector<SrvRecord>{{normalizeName(host), port, 0, 0}});
  setSrv(xmppsServerName(domain), std::vector<SrvRecord>{});
}

asio::awaitable<Result<std::vector<SrvRecord>>> StaticResolver::srv(std::string name) {
  ++lookups_;
  if (auto it = srv_.find(normalizeName(name)); it != srv_.end()) co_return it->second;
  if (fallback_) co_return co_await fallback_->srv(std::move(name));
  co_return std::vector<SrvRecord>{};
}

asio::awaitable<Result<std::vector<asio::ip::address>>> StaticResolver::addresses(
    std::string host) {
  ++lookups_;
  if (auto literal = parseAddressLiteral(host)) {
    co_return std::vector<asio::ip::address>{*literal};
  }
  if (auto it = addresses_.find(normalizeName(host)); it != addresses_.end()) {
    if (it->second.ok() && it->second->empty()) {
      co_return makeError(std::string(kNotFound), host + ": no address records");
    }
    co_return it->second;
  }
  if (fallback_) co_return co_await fallback_->addresses(std::move(host));
  co_return makeError(std::string(kNotFound), host + ": no address records");
}

}  // namespace impd::dns
