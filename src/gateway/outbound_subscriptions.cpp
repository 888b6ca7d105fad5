// The index of outbound subscriptions (outbound_subscriptions.h).
#include "gateway/outbound_subscriptions.h"

namespace impd::gateway {

std::string OutboundSubscriptions::dialogKey(std::string_view callId, std::string_view localTag) {
  // A Call-ID holds no space (RFC 3261 §25.1 word), so a space cannot make two keys collide.
  std::string key(callId);
  key.push_back(' ');
  key.append(localTag);
  return key;
}

bool OutboundSubscriptions::add(const SubscriptionKey& key, std::string callId,
                                std::string localTag) {
  if (byKey_.contains(key)) return false;
  byDialog_.emplace(dialogKey(callId, localTag), key);
  byKey_.emplace(key, Entry{key, std::move(callId), std::move(localTag)});
  return true;
}

const OutboundSubscriptions::Entry* OutboundSubscriptions::find(const SubscriptionKey& key) const {
  auto it = byKey_.find(key);
  return it == byKey_.end() ? nullptr : &it->second;
}

const OutboundSubscriptions::Entry* OutboundSubscriptions::findByDialog(
    std::string_view callId, std::string_view localTag) const {
  auto it = byDialog_.find(dialogKey(callId, localTag));
  return it == byDialog_.end() ? nullptr : find(it->second);
}

bool OutboundSubscriptions::replace(const SubscriptionKey& key, std::string callId,
                                    std::string localTag) {
  auto it = byKey_.find(key);
  if (it == byKey_.end()) return false;
  byDialog_.erase(dialogKey(it->second.callId, it->second.localTag));
  byDialog_.emplace(dialogKey(callId, localTag), key);
  it->second.callId = std::move(callId);
  it->second.localTag = std::move(localTag);
  return true;
}

bool OutboundSubscriptions::remove(const SubscriptionKey& key) {
  auto it = byKey_.find(key);
  if (it == byKey_.end()) return false;
  byDialog_.erase(dialogKey(it->second.callId, it->second.localTag));
  byKey_.erase(it);
  return true;
}

}  // namespace impd::gateway
