#pragma once
// Everything a node keeps, behind one owner. A backend implements every store; server/ is the
// only place that names a concrete backend.
#include <memory>
#include <string>

#include "base/result.h"
#include "storage/offline.h"
#include "storage/privacy.h"
#include "storage/roster.h"
#include "storage/sip_subscriptions.h"
#include "storage/users.h"

namespace impd::storage {

class Store {
 public:
  virtual ~Store() = default;
  virtual UserStore& users() = 0;
  virtual RosterStore& roster() = 0;
  virtual OfflineStore& offline() = 0;
  virtual PrivacyStore& privacy() = 0;
  virtual SipSubscriptionStore& sipSubscriptions() = 0;
  virtual SipWatcherStore& sipWatchers() = 0;
  // Deletes a user and everything they own (roster, offline queue, blocklist,
  // outbound SIP subscriptions).
  Result<void> deleteAccount(const std::string& jid);
};

}  // namespace impd::storage
