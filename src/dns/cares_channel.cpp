#include "dns/cares_channel.h"

#include <poll.h>

#include <cstring>
#include <mutex>
#include <string>

#include "base/log.h"

namespace impd::dns::detail {

namespace {

// Bounds the drain loop of one readiness event; c-ares reads UDP until EAGAIN anyway, so this
// only matters for a peer feeding a TCP answer in many small pieces.
constexpr int kMaxDrainRounds = 32;

std::string serversCsv(const std::vector<asio::ip::udp::endpoint>& servers) {
  std::string csv;
  for (const auto& ep : servers) {
    if (!csv.empty()) csv += ',';
    const auto ip = ep.address().to_string();
    csv += ep.address().is_v6() ? "[" + ip + "]" : ip;
    csv += ':' + std::to_string(ep.port());
  }
  return csv;
}

bool readableNow(ares_socket_t fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP)) != 0;
}

}  // namespace

CaresChannel::CaresChannel(asio::io_context& io) : io_(io), timer_(io) {}

CaresChannel::~CaresChannel() {
  // Fails every pending query with ARES_EDESTRUCTION and reports each socket closed, which
  // releases its descriptor through onSocketState().
  if (channel_) ares_destroy(channel_);
  for (auto& [fd, w] : sockets_) w.descriptor.release();
}

Result<void> CaresChannel::init(const ChannelSettings& settings) {
  static std::once_flag libraryInit;
  static int libraryStatus = ARES_SUCCESS;
  std::call_once(libraryInit, [] { libraryStatus = ares_library_init(ARES_LIB_INIT_ALL); });
  if (libraryStatus != ARES_SUCCESS) {
    return makeError("dns-error", std::string("c-ares: ") + ares_strerror(libraryStatus));
  }

  ares_options options{};
  int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB |
             ARES_OPT_LOOKUPS | ARES_OPT_DOMAINS;
  // Peer domains are absolute names: never append resolv.conf search domains to them.
  options.flags = ARES_FLAG_NOSEARCH;
  options.timeout = static_cast<int>(settings.timeout.count());
  options.tries = settings.tries;
  options.sock_state_cb = &CaresChannel::onSocketState;
  options.sock_state_cb_data = this;
  std::string lookups = settings.hostsFile ? "fb" : "b";
  options.lookups = lookups.data();
  options.domains = nullptr;
  options.ndomains = 0;
  if (!settings.servers.empty()) {
    // An empty server list at init keeps resolv.conf's servers out of the channel; the
    // configured ones (with their ports) are set right after, before any query can run.
    mask |= ARES_OPT_SERVERS;
    options.servers = nullptr;
    options.nservers = 0;
  }
  if (int rc = ares_init_options(&channel_, &options, mask); rc != ARES_SUCCESS) {
    channel_ = nullptr;
    return makeError("dns-error", std::string("c-ares init: ") + ares_strerror(rc));
  }
  if (!settings.servers.empty()) {
    const auto csv = serversCsv(settings.servers);
    if (int rc = ares_set_servers_ports_csv(channel_, csv.c_str()); rc != ARES_SUCCESS) {
      return makeError("dns-error", "c-ares servers \"" + csv + "\": " + ares_strerror(rc));
    }
  }
  return {};
}

std::vector<asio::ip::udp::endpoint> CaresChannel::servers() const {
  std::vector<asio::ip::udp::endpoint> out;
  ares_addr_port_node* list = nullptr;
  if (ares_get_servers_ports(channel_, &list) != ARES_SUCCESS) return out;
  for (auto* n = list; n; n = n->next) {
    const auto port = static_cast<std::uint16_t>(n->udp_port ? n->udp_port : 53);
    if (n->family == AF_INET) {
      asio::ip::address_v4::bytes_type b;
      std::memcpy(b.data(), &n->addr.addr4, b.size());
      out.emplace_back(asio::ip::address_v4(b), port);
    } else if (n->family == AF_INET6) {
      asio::ip::address_v6::bytes_type b;
      std::memcpy(b.data(), &n->addr.addr6, b.size());
      out.emplace_back(asio::ip::address_v6(b), port);
    }
  }
  ares_free_data(list);
  return out;
}

void CaresChannel::onSocketState(void* self, ares_socket_t fd, int readable, int writable) {
  auto* channel = static_cast<CaresChannel*>(self);
  if (!readable && !writable) {
    channel->unwatch(fd);
  } else {
    channel->watch(fd, readable != 0, writable != 0);
  }
}

void CaresChannel::watch(ares_socket_t fd, bool read, bool write) {
  auto it = sockets_.find(fd);
  if (it == sockets_.end()) {
    Watched w{asio::posix::stream_descriptor(io_), nextGeneration_++};
    boost::system::error_code ec;
    w.descriptor.assign(fd, ec);
    if (ec) {
      // The query on this socket will run into its time-out; nothing else can be done.
      logger("dns")->error("cannot watch resolver socket {}: {}", fd, ec.message());
      return;
    }
    it = sockets_.emplace(fd, std::move(w)).first;
  }
  it->second.wantRead = read;
  it->second.wantWrite = write;
  arm(fd);
}

void CaresChannel::unwatch(ares_socket_t fd) {
  auto it = sockets_.find(fd);
  if (it == sockets_.end()) return;
  it->second.descriptor.release();  // cancels its waits; c-ares closes the socket itself
  sockets_.erase(it);
}

void CaresChannel::arm(ares_socket_t fd) {
  auto& w = sockets_.at(fd);
  const auto generation = w.generation;
  if (w.wantRead && !w.reading) {
    w.reading = true;
    w.descriptor.async_wait(
        asio::posix::descriptor_base::wait_read,
        [weak = weak_from_this(), fd, generation](boost::system::error_code ec) {
          auto self = weak.lock();
          if (!self || ec == asio::error::operation_aborted) return;
          self->onReady(fd, generation, false);
        });
  }
  if (w.wantWrite && !w.writing) {
    w.writing = true;
    w.descriptor.async_wait(
        asio::posix::descriptor_base::wait_write,
        [weak = weak_from_this(), fd, generation](boost::system::error_code ec) {
          auto self = weak.lock();
          if (!self || ec == asio::error::operation_aborted) return;
          self->onReady(fd, generation, true);
        });
  }
}

bool CaresChannel::stillWatched(ares_socket_t fd, std::uint64_t generation) const {
  auto it = sockets_.find(fd);
  return it != sockets_.end() && it->second.generation == generation;
}

void CaresChannel::onReady(ares_socket_t fd, std::uint64_t generation, bool write) {
  if (!stillWatched(fd, generation)) return;
  auto& w = sockets_.at(fd);
  (write ? w.writing : w.reading) = false;
  if (write) {
    ares_process_fd(channel_, ARES_SOCKET_BAD, fd);
  } else {
    // Any other error code (EPOLLERR after an ICMP unreachable, say) is readiness too: the
    // read inside c-ares picks up the socket error and fails over to the next server.
    for (int round = 0; round < kMaxDrainRounds; ++round) {
      ares_process_fd(channel_, fd, ARES_SOCKET_BAD);
      if (!stillWatched(fd, generation) || !sockets_.at(fd).wantRead || !readableNow(fd)) break;
    }
  }
  if (stillWatched(fd, generation)) arm(fd);
  scheduleTimeout();
}

void CaresChannel::scheduleTimeout() {
  timeval tv{};
  if (!ares_timeout(channel_, nullptr, &tv)) {
    timer_.cancel();
    return;
  }
  timer_.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
  timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!self || ec) return;
    ares_process_fd(self->channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    self->scheduleTimeout();
  });
}

}  // namespace impd::dns::detail
