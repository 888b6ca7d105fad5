#pragma once
// Outbound SIP presence subscriptions (local watcher -> remote SIP presentity) the gateway keeps
// and re-establishes at start-up. An XMPP subscription never expires, but the SIP subscription
// that carries it lives in memory and lapses unless refreshed; without this record a restart
// would quietly stop presence from every SIP contact until each user subscribed again. Only
// the pair and its authorization are kept, not the dialog (Call-ID, tags, CSeq): a new process
// cannot continue an old dialog, so start-up sends a fresh SUBSCRIBE for each row.
#include <string>
#include <vector>

#include "base/result.h"

namespace impd::storage {

struct SipSubscription {
  std::string watcher;     // local user, prepared bare JID
  std::string presentity;  // remote SIP user, prepared bare JID
  bool approved = false;   // the presentity's side authorized the watcher (first active NOTIFY seen)
  friend bool operator==(const SipSubscription&, const SipSubscription&) = default;
};

class SipSubscriptionStore {
 public:
  virtual ~SipSubscriptionStore() = default;
  // Inserts the pair, or updates `approved` when the pair is already stored.
  virtual Result<void> put(const SipSubscription& subscription) = 0;
  // Removing a pair that is not stored succeeds: unsubscribing twice is not an error.
  virtual Result<void> remove(const std::string& watcher, const std::string& presentity) = 0;
  // Ordered by watcher, then presentity (bytewise).
  virtual std::vector<SipSubscription> all() = 0;
  // Forgets every subscription of this watcher (account deletion).
  virtual Result<void> removeUser(const std::string& watcher) = 0;
};

}  // namespace impd::storage
