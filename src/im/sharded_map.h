#pragma once
// A small thread-safe cache keyed by bare JID. Sessions of different users run on different
// I/O threads, so one lock for every user would make them contend; a lock per shard does not.
// The bound is crude on purpose (a full shard is emptied): these caches only save a storage
// round trip, and a miss is always correct.
#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace impd::im {

template <typename V>
class ShardedMap {
 public:
  std::optional<V> find(const std::string& key) const {
    const Shard& s = shardFor(key);
    std::lock_guard lock(s.mutex);
    auto it = s.map.find(key);
    if (it == s.map.end()) return std::nullopt;
    return it->second;
  }

  void put(const std::string& key, V value) {
    Shard& s = shardFor(key);
    std::lock_guard lock(s.mutex);
    makeRoom(s);
    s.map.insert_or_assign(key, std::move(value));
  }

  // Returns the value already cached, or stores and returns `value`.
  V putIfAbsent(const std::string& key, V value) {
    Shard& s = shardFor(key);
    std::lock_guard lock(s.mutex);
    auto it = s.map.find(key);
    if (it != s.map.end()) return it->second;
    makeRoom(s);
    return s.map.emplace(key, std::move(value)).first->second;
  }

  void erase(const std::string& key) {
    Shard& s = shardFor(key);
    std::lock_guard lock(s.mutex);
    s.map.erase(key);
  }

 private:
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kMaxPerShard = 4096;

  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, V> map;
  };

  static void makeRoom(Shard& s) {
    if (s.map.size() >= kMaxPerShard) s.map.clear();
  }
  Shard& shardFor(const std::string& key) {
    return shards_[std::hash<std::string>{}(key) % kShards];
  }
  const Shard& shardFor(const std::string& key) const {
    return shards_[std::hash<std::string>{}(key) % kShards];
  }

  std::array<Shard, kShards> shards_;
};

}  // namespace impd::im
