#pragma once
// Per-user blocking (XEP-0191). Entries are JIDs as the user wrote them after preparation:
// a full JID, a bare JID, a domain, or domain/resource (XEP-0016 matching order).
#include <string>
#include <vector>

#include "base/result.h"

namespace impd::storage {

class PrivacyStore {
 public:
  virtual ~PrivacyStore() = default;
  virtual std::vector<std::string> blocklist(const std::string& user) = 0;  // sorted
  virtual Result<void> block(const std::string& user, const std::vector<std::string>& jids) = 0;
  virtual Result<void> unblock(const std::string& user, const std::vector<std::string>& jids) = 0;
  virtual Result<void> unblockAll(const std::string& user) = 0;
};

}  // namespace impd::storage
