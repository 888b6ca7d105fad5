#pragma once
// Accounts. Only SCRAM salted keys are stored, never a password (one set per hash).
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "codec/xmpp/scram.h"

namespace impd::storage {

struct UserRecord {
  std::string jid;  // prepared bare JID, e.g. "alice@imp.test"
  xmpp::ScramCredentials sha1;
  xmpp::ScramCredentials sha256;
};

class UserStore {
 public:
  virtual ~UserStore() = default;
  // Error "conflict" when the user exists.
  virtual Result<void> add(const UserRecord& user) = 0;
  // Error "item-not-found" when absent.
  virtual Result<void> remove(const std::string& jid) = 0;
  virtual Result<void> update(const UserRecord& user) = 0;
  virtual std::optional<UserRecord> find(const std::string& jid) = 0;
  virtual std::vector<std::string> list(const std::string& domain = {}) = 0;  // sorted
};

}  // namespace impd::storage
