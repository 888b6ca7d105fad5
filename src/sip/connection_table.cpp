// The core's index of open connections (connection_table.h).
#include "sip/connection_table.h"

#include "dns/resolver.h"

namespace impd::sip {

void ConnectionTable::add(std::shared_ptr<StreamConnection> connection, std::optional<Hop> target) {
  if (target) target->host = dns::normalizeName(target->host);
  const auto id = connection->id();
  entries_[id] = Entry{std::move(connection), std::move(target)};
}

std::shared_ptr<StreamConnection> ConnectionTable::remove(std::uint64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return nullptr;
  auto connection = std::move(it->second.connection);
  entries_.erase(it);
  return connection;
}

std::shared_ptr<StreamConnection> ConnectionTable::find(std::uint64_t id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : it->second.connection;
}

std::shared_ptr<StreamConnection> ConnectionTable::findTarget(const Hop& target) const {
  Hop wanted = target;
  wanted.host = dns::normalizeName(wanted.host);
  // The newest first: an older twin may be on its way out.
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->second.target == wanted) return it->second.connection;
  }
  return nullptr;
}

std::shared_ptr<StreamConnection> ConnectionTable::findCertified(std::string_view domain) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    const auto& connection = it->second.connection;
    if (connection->kind() == TransportKind::Tls && !connection->outbound() &&
        certifies(connection->certificate(), domain)) {
      return connection;
    }
  }
  return nullptr;
}

std::vector<std::shared_ptr<StreamConnection>> ConnectionTable::all() const {
  std::vector<std::shared_ptr<StreamConnection>> out;
  for (const auto& [id, entry] : entries_) out.push_back(entry.connection);
  return out;
}

}  // namespace impd::sip
