#include "dns/cares_resolver.h"

#include <arpa/nameser.h>
#include <netinet/in.h>

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <cstring>

#include "dns/cares_channel.h"

namespace impd::dns {

namespace {

using Addresses = std::vector<asio::ip::address>;
using SrvRecords = std::vector<SrvRecord>;

Error lookupError(const std::string& name, int status) {
  std::string condition(kFailure);
  if (status == ARES_ETIMEOUT) condition = kTimeout;
  if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) condition = kCancelled;
  if (status == ARES_ENOTFOUND || status == ARES_ENODATA || status == ARES_ENONAME) {
    condition = kNotFound;
  }
  return makeError(std::move(condition), name + ": " + ares_strerror(status));
}

bool isNoRecords(int status) {
  return status == ARES_ENOTFOUND || status == ARES_ENODATA;
}

Result<SrvRecords> srvAnswer(const std::string& name, int status, const unsigned char* abuf,
                             int alen) {
  if (isNoRecords(status)) return SrvRecords{};
  if (status != ARES_SUCCESS) return lookupError(name, status);
  ares_srv_reply* reply = nullptr;
  status = ares_parse_srv_reply(abuf, alen, &reply);
  if (isNoRecords(status)) return SrvRecords{};
  if (status != ARES_SUCCESS) return lookupError(name, status);
  SrvRecords out;
  for (auto* r = reply; r; r = r->next) {
    // The root name comes back empty; keep RFC 2782's spelling of "no service".
    std::string target = r->host && r->host[0] ? normalizeName(r->host) : ".";
    out.push_back(SrvRecord{std::move(target), r->port, r->priority, r->weight});
  }
  ares_free_data(reply);
  return out;
}

Result<Addresses> addressAnswer(const std::string& host, int status, const ares_addrinfo* res) {
  if (status != ARES_SUCCESS) return lookupError(host, status);
  Addresses v6, v4;
  for (auto* n = res ? res->nodes : nullptr; n; n = n->ai_next) {
    if (n->ai_family == AF_INET6 && n->ai_addrlen >= sizeof(sockaddr_in6)) {
      sockaddr_in6 sa;
      std::memcpy(&sa, n->ai_addr, sizeof sa);
      asio::ip::address_v6::bytes_type b;
      std::memcpy(b.data(), &sa.sin6_addr, b.size());
      v6.emplace_back(asio::ip::address_v6(b, sa.sin6_scope_id));
    } else if (n->ai_family == AF_INET && n->ai_addrlen >= sizeof(sockaddr_in)) {
      sockaddr_in sa;
      std::memcpy(&sa, n->ai_addr, sizeof sa);
      asio::ip::address_v4::bytes_type b;
      std::memcpy(b.data(), &sa.sin_addr, b.size());
      v4.emplace_back(asio::ip::address_v4(b));
    }
  }
  Addresses out;
  for (auto* family : {&v6, &v4}) {
    for (auto& a : *family) {
      if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    }
  }
  if (out.empty()) return makeError(std::string(kNotFound), host + ": no address records");
  return out;
}

// Resumes the waiting coroutine through its own executor, never from inside c-ares: the
// coroutine may start another query or destroy the resolver, which c-ares does not allow
// from one of its callbacks.
template <typename T, typename Handler>
void complete(Handler handler, Result<T> result) {
  auto executor = asio::get_associated_executor(handler);
  asio::post(executor, [h = std::move(handler), r = std::move(result)]() mutable {
    std::move(h)(std::move(r));
  });
}

template <typename Handler>
struct SrvQuery {
  Handler handler;
  std::string name;
  static void done(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
    std::unique_ptr<SrvQuery> q(static_cast<SrvQuery*>(arg));
    complete<SrvRecords>(std::move(q->handler), srvAnswer(q->name, status, abuf, alen));
  }
};

template <typename Handler>
struct AddressQuery {
  Handler handler;
  std::string host;
  static void done(void* arg, int status, int /*timeouts*/, ares_addrinfo* res) {
    std::unique_ptr<AddressQuery> q(static_cast<AddressQuery*>(arg));
    auto result = addressAnswer(q->host, status, res);
    if (res) ares_freeaddrinfo(res);
    complete<Addresses>(std::move(q->handler), std::move(result));
  }
};

}  // namespace

Result<std::unique_ptr<CaresResolver>> CaresResolver::create(asio::io_context& io,
                                                             Options options) {
  auto channel = std::make_shared<detail::CaresChannel>(io);
  auto ok = channel->init(detail::ChannelSettings{std::move(options.servers), options.timeout,
                                                  options.tries, options.hostsFile});
  if (!ok) return ok.error();
  return std::unique_ptr<CaresResolver>(new CaresResolver(std::move(channel)));
}

CaresResolver::CaresResolver(std::shared_ptr<detail::CaresChannel> channel)
    : channel_(std::move(channel)) {}

CaresResolver::~CaresResolver() = default;

std::vector<asio::ip::udp::endpoint> CaresResolver::servers() const {
  return channel_->servers();
}

asio::awaitable<Result<SrvRecords>> CaresResolver::srv(std::string name) {
  // The coroutine frame holds no reference to the channel, so destroying the resolver really
  // cancels the lookup instead of keeping c-ares alive until it answers.
  // The initiations capture only trivially destructible values: g++ 12 destroys non-trivial
  // captures of an initiation twice inside use_awaitable's coroutine frame.
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Result<SrvRecords>)>(
      [this, &name](auto handler) {
        using Query = SrvQuery<decltype(handler)>;
        auto* q = new Query{std::move(handler), name};
        ares_query(channel_->get(), q->name.c_str(), ns_c_in, ns_t_srv, &Query::done, q);
        channel_->started();
      },
      asio::use_awaitable);
}

asio::awaitable<Result<Addresses>> CaresResolver::addresses(std::string host) {
  if (auto literal = parseAddressLiteral(host)) co_return Addresses{*literal};
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Result<Addresses>)>(
      [this, &host](auto handler) {
        using Query = AddressQuery<decltype(handler)>;
        auto* q = new Query{std::move(handler), host};
        ares_addrinfo_hints hints{};
        hints.ai_flags = ARES_AI_NOSORT;
        hints.ai_family = AF_UNSPEC;
        ares_getaddrinfo(channel_->get(), q->host.c_str(), nullptr, &hints, &Query::done, q);
        channel_->started();
      },
      asio::use_awaitable);
}

Result<asio::ip::udp::endpoint> parseServerAddress(std::string_view text) {
  std::string_view host = text;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return makeError("bad-value", "missing ']'");
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return makeError("bad-value", "expected ':port'");
    if (!rest.empty()) port = rest.substr(1);
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    host = text.substr(0, text.find(':'));
    port = text.substr(text.find(':') + 1);
  }
  auto address = parseAddressLiteral(host);
  if (!address) return makeError("bad-value", "not an IP address: " + std::string(host));
  unsigned value = 53;
  if (!port.empty() || text.ends_with(':')) {
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return makeError("bad-value", "bad port: " + std::string(port));
    }
  }
  return asio::ip::udp::endpoint(*address, static_cast<std::uint16_t>(value));
}

}  // namespace impd::dns
