#pragma once
// Rosters and the subscription state behind them (RFC 6121). One row per (user, contact);
// a row can exist for a pending inbound request alone (inRoster = false), which is how a
// subscription request that arrived while the user was offline waits for the next login.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace impd::storage {

enum class Subscription { kNone, kTo, kFrom, kBoth };

struct RosterItem {
  std::string contact;  // prepared bare JID
  std::string name;
  std::vector<std::string> groups;
  Subscription subscription = Subscription::kNone;
  bool askOut = false;          // Pending Out (ask='subscribe')
  bool pendingIn = false;       // Pending In (request stored, not yet answered)
  bool approved = false;        // pre-approval
  bool inRoster = true;         // false: only a pending inbound request, not shown in the roster
  std::string pendingInStanza;  // the serialized inbound <presence type='subscribe'/>, if any
};

class RosterStore {
 public:
  using Items = std::shared_ptr<const std::vector<RosterItem>>;

  virtual ~RosterStore() = default;
  // The user's roster if it is in memory, or null; never touches the database, so an event
  // loop may ask before handing the read to the blocking worker.
  virtual Items cachedItems(const std::string& user) { return nullptr; }
  // items(), shared: a caching store hands out the copy it keeps instead of copying it again.
  virtual Items sharedItems(const std::string& user) {
    return std::make_shared<const std::vector<RosterItem>>(items(user));
  }
  virtual std::vector<RosterItem> items(const std::string& user) = 0;
  virtual std::optional<RosterItem> item(const std::string& user, const std::string& contact) = 0;
  // Inserts or replaces; bumps and returns the user's roster version.
  virtual Result<std::uint64_t> put(const std::string& user, const RosterItem& item) = 0;
  // Deletes the row; bumps and returns the version (unchanged version when absent).
  virtual Result<std::uint64_t> remove(const std::string& user, const std::string& contact) = 0;
  virtual std::uint64_t version(const std::string& user) = 0;
  // Users that have `contact` in their roster rows (for server-side fan-out), sorted.
  virtual std::vector<std::string> usersWithContact(const std::string& contact) = 0;
  virtual Result<void> removeUser(const std::string& user) = 0;
};

}  // namespace impd::storage
