#pragma once
// The outbound subscriptions of one gateway node, one per SubscriptionKey (local watcher,
// remote presentity), found again by the key when XMPP acts (unsubscribe, probe) and by the
// dialog's Call-ID and our tag when SIP does (a NOTIFY may arrive before the 200 to our
// SUBSCRIBE, so the Call-ID and our From tag are all there is to match it on). A small index
// only: the SIP subscription and dialog state belong to the caller.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gateway/outbound_subscribe.h"

namespace impd::gateway {

class OutboundSubscriptions {
 public:
  struct Entry {
    SubscriptionKey key;
    std::string callId;
    std::string localTag;
  };

  // Registers the SUBSCRIBE just built for `key`. Returns false and changes nothing when the
  // key already has a subscription: a second XMPP subscribe (another resource of the same
  // user, or a client re-sending) must not create a second SIP subscription.
  bool add(const SubscriptionKey& key, std::string callId, std::string localTag);
  bool add(const SubscriptionKey& key, const OutboundSubscribe& subscribe) {
    return add(key, subscribe.callId, subscribe.localTag);
  }
  const Entry* find(const SubscriptionKey& key) const;
  // A NOTIFY's Call-ID and To tag, or a response's Call-ID and From tag.
  const Entry* findByDialog(std::string_view callId, std::string_view localTag) const;
  // Re-keys an entry to a new Call-ID and tag: after a re-subscription outside the dialog.
  bool replace(const SubscriptionKey& key, std::string callId, std::string localTag);
  bool remove(const SubscriptionKey& key);
  std::size_t size() const { return byKey_.size(); }

 private:
  static std::string dialogKey(std::string_view callId, std::string_view localTag);

  std::unordered_map<SubscriptionKey, Entry, SubscriptionKeyHash> byKey_;
  std::unordered_map<std::string, SubscriptionKey> byDialog_;
};

}  // namespace impd::gateway
