#pragma once
// Offline messages (XEP-0160): serialized stanzas kept in arrival order.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace impd::storage {

struct OfflineMessage {
  std::int64_t id = 0;
  std::string stanza;  // serialized <message/>, already stamped with a <delay/>
};

class OfflineStore {
 public:
  virtual ~OfflineStore() = default;
  // Error "resource-constraint" when the user's queue is at its limit.
  virtual Result<void> push(const std::string& user, const std::string& stanza,
                            std::size_t limit) = 0;
  // Returns and deletes every stored message, oldest first.
  virtual std::vector<OfflineMessage> popAll(const std::string& user) = 0;
  virtual std::size_t count(const std::string& user) = 0;
  virtual Result<void> removeUser(const std::string& user) = 0;
};

}  // namespace impd::storage
