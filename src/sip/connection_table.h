#pragma once
// The open stream connections as the core sees them: by id (a TransportRef names its
// connection by id), by the target an outbound one was opened for (reuse, keyed by transport,
// host and port), and by certified domain (an inbound TLS connection whose trusted
// certificate names a domain may carry our requests to that domain, in the spirit of RFC 5923).
// Core executor only.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "sip/locator.h"
#include "sip/stream_connection.h"

namespace impd::sip {

class ConnectionTable {
 public:
  // `target`: what an outbound connection was opened for; nullopt for inbound ones.
  void add(std::shared_ptr<StreamConnection> connection, std::optional<Hop> target);
  std::shared_ptr<StreamConnection> remove(std::uint64_t id);
  void clear() { entries_.clear(); }

  std::shared_ptr<StreamConnection> find(std::uint64_t id) const;
  std::shared_ptr<StreamConnection> findTarget(const Hop& target) const;
  std::shared_ptr<StreamConnection> findCertified(std::string_view domain) const;
  std::vector<std::shared_ptr<StreamConnection>> all() const;
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::shared_ptr<StreamConnection> connection;
    std::optional<Hop> target;
  };
  std::map<std::uint64_t, Entry> entries_;
};

}  // namespace impd::sip
