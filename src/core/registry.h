#pragma once
// Who is signed in on this node: bare JID -> resources. Sharded so that lookups for different
// users never contend on one lock.
#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/session.h"

namespace impd::core {

class SessionRegistry {
 public:
  using SessionPtr = std::shared_ptr<ClientSession>;

  // Adds a session; a session already bound to the same full JID is returned so the caller
  // can close it (RFC 6120 §7.7.2.2: the newer login wins).
  SessionPtr add(const SessionPtr& session);
  // Removes exactly this session (not a newer one that took over its JID).
  void remove(const SessionPtr& session);
  std::vector<SessionPtr> resources(const std::string& bareJid) const;
  SessionPtr find(const xmpp::Jid& fullJid) const;
  // XEP-0198: sessions that may be resumed, by their stream-management id.
  void addResumable(const std::string& smId, const SessionPtr& session);
  SessionPtr takeResumable(const std::string& smId);
  void removeResumable(const std::string& smId);
  std::size_t sessionCount() const;
  std::vector<SessionPtr> all() const;

 private:
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::vector<SessionPtr>> byBare;
  };
  static constexpr std::size_t kShards = 32;
  Shard& shardFor(const std::string& bare) const;

  mutable std::array<Shard, kShards> shards_;
  mutable std::mutex resumableMutex_;
  std::unordered_map<std::string, SessionPtr> resumable_;
};

}  // namespace impd::core
