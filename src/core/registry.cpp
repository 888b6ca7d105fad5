#include "core/registry.h"

#include <algorithm>
#include <functional>

namespace impd::core {

SessionRegistry::Shard& SessionRegistry::shardFor(const std::string& bare) const {
  return shards_[std::hash<std::string>{}(bare) % kShards];
}

SessionRegistry::SessionPtr SessionRegistry::add(const SessionPtr& session) {
  const std::string bare = session->jid().bareStr();
  Shard& shard = shardFor(bare);
  std::lock_guard lock(shard.mutex);
  auto& list = shard.byBare[bare];
  SessionPtr displaced;
  for (auto& existing : list) {
    if (existing->jid().resource() == session->jid().resource()) {
      displaced = existing;
      existing = session;
      return displaced;
    }
  }
  list.push_back(session);
  return nullptr;
}

void SessionRegistry::remove(const SessionPtr& session) {
  const std::string bare = session->jid().bareStr();
  Shard& shard = shardFor(bare);
  std::lock_guard lock(shard.mutex);
  auto it = shard.byBare.find(bare);
  if (it == shard.byBare.end()) return;
  std::erase(it->second, session);
  if (it->second.empty()) shard.byBare.erase(it);
}

std::vector<SessionRegistry::SessionPtr> SessionRegistry::resources(const std::string& bare) const {
  Shard& shard = shardFor(bare);
  std::lock_guard lock(shard.mutex);
  auto it = shard.byBare.find(bare);
  return it == shard.byBare.end() ? std::vector<SessionPtr>{} : it->second;
}

SessionRegistry::SessionPtr SessionRegistry::find(const xmpp::Jid& full) const {
  for (auto& s : resources(full.bareStr())) {
    if (s->jid().resource() == full.resource()) return s;
  }
  return nullptr;
}

void SessionRegistry::addResumable(const std::string& smId, const SessionPtr& session) {
  std::lock_guard lock(resumableMutex_);
  resumable_[smId] = session;
}

SessionRegistry::SessionPtr SessionRegistry::takeResumable(const std::string& smId) {
  std::lock_guard lock(resumableMutex_);
  auto it = resumable_.find(smId);
  if (it == resumable_.end()) return nullptr;
  SessionPtr s = it->second;
  resumable_.erase(it);
  return s;
}

void SessionRegistry::removeResumable(const std::string& smId) {
  std::lock_guard lock(resumableMutex_);
  resumable_.erase(smId);
}

std::size_t SessionRegistry::sessionCount() const {
  std::size_t n = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (auto& [bare, list] : shard.byBare) n += list.size();
  }
  return n;
}

std::vector<SessionRegistry::SessionPtr> SessionRegistry::all() const {
  std::vector<SessionPtr> out;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (auto& [bare, list] : shard.byBare) out.insert(out.end(), list.begin(), list.end());
  }
  return out;
}

}  // namespace impd::core
