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

// The other direction: a SIP watcher's subscription to a local user, where we are the
// notifier. Here the dialog itself is kept: the watcher (a Lync pool) holds its half and
// refreshes only every hour and 45 minutes, so a new SUBSCRIBE cannot be asked for; resuming
// the dialog lets the NOTIFYs go on right after a restart instead of two hours later.
struct SipWatcher {
  std::string key;      // the gateway's dialog key
  std::string user;     // local user, prepared bare JID
  std::string watcher;  // remote SIP user, prepared bare JID
  std::string state;    // the gateway's own record of dialog and subscription (JSON)
  friend bool operator==(const SipWatcher&, const SipWatcher&) = default;
};

class SipWatcherStore {
 public:
  virtual ~SipWatcherStore() = default;
  virtual Result<void> put(const SipWatcher& watcher) = 0;  // insert or replace
  virtual Result<void> remove(const std::string& key) = 0;   // absent is fine
  virtual std::vector<SipWatcher> all() = 0;                 // ordered by key
  virtual Result<void> removeUser(const std::string& user) = 0;
};

}  // namespace impd::storage
