#pragma once
// Each user's privacy policy: one ordered-by-address list of entries that both XEP-0191
// (blocking command) and XEP-0016 (privacy lists) present, the admin API edits, and presence
// authorization of federated watchers reads. Entries hold JIDs as the user wrote them after
// preparation: a full JID, a bare JID, a domain, or domain/resource (XEP-0016 matching order).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace impd::storage {

enum class PolicyAction : std::uint8_t { kAllow, kBlock };
// kAll: every stanza (XEP-0191 blocking). kPresence: only the user's presence is withheld
// (polite blocking of a watcher: it sees the user offline, messages still pass).
enum class PolicyScope : std::uint8_t { kAll, kPresence };
// What happens to a subscription request from a federated watcher no entry decides.
enum class WatcherDefault : std::uint8_t { kAsk, kAllow, kBlock };

struct PolicyEntry {
  std::string jid;
  PolicyAction action = PolicyAction::kBlock;
  PolicyScope scope = PolicyScope::kAll;
  friend bool operator==(const PolicyEntry&, const PolicyEntry&) = default;
};

struct PrivacyPolicy {
  WatcherDefault federatedDefault = WatcherDefault::kAsk;
  // The name XEP-0016 clients see for the list; the user's own choice once they set one.
  std::string listName = "policy";
  std::vector<PolicyEntry> entries;  // one per JID, sorted by JID (bytewise)
  friend bool operator==(const PrivacyPolicy&, const PrivacyPolicy&) = default;
};

std::string_view actionName(PolicyAction action);
std::string_view scopeName(PolicyScope scope);
std::string_view watcherDefaultName(WatcherDefault value);
std::optional<PolicyAction> parseAction(std::string_view name);
std::optional<PolicyScope> parseScope(std::string_view name);
std::optional<WatcherDefault> parseWatcherDefault(std::string_view name);

class PrivacyStore {
 public:
  virtual ~PrivacyStore() = default;
  virtual PrivacyPolicy policy(const std::string& user) = 0;
  // Replaces the whole policy (admin API, XEP-0016 list set). Entries must have distinct JIDs.
  virtual Result<void> setPolicy(const std::string& user, const PrivacyPolicy& policy) = 0;
  // Adds or replaces the entry for each entry's JID, leaving the others alone.
  virtual Result<void> putEntries(const std::string& user, const std::vector<PolicyEntry>& entries) = 0;

  // The XEP-0191 view: entries that block everything.
  virtual std::vector<std::string> blocklist(const std::string& user) = 0;  // sorted
  virtual Result<void> block(const std::string& user, const std::vector<std::string>& jids) = 0;
  // Removes the entries that block everything for these JIDs; presence-only blocks and allow
  // entries are not part of the XEP-0191 view and stay.
  virtual Result<void> unblock(const std::string& user, const std::vector<std::string>& jids) = 0;
  virtual Result<void> unblockAll(const std::string& user) = 0;
  // Forgets everything about the user (account deletion).
  virtual Result<void> removeUser(const std::string& user) = 0;
};

}  // namespace impd::storage
