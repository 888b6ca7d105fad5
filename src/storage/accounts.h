#pragma once
// Account administration on top of a Store: what `impctl user ...` and the admin API do.
// JIDs arrive as operators type them and are prepared here; passwords become SCRAM-SHA-1 and
// SCRAM-SHA-256 salted keys and are never stored.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "base/result.h"
#include "storage/store.h"

namespace impd::storage {

class Accounts {
 public:
  // RFC 7677 asks for at least 4096; more slows every login on small machines.
  static constexpr std::uint32_t kIterations = 4096;
  static constexpr std::size_t kSaltBytes = 16;

  // localDomains are the prepared [server] domains; accounts exist only under them.
  Accounts(Store& store, std::vector<std::string> localDomains, Random& random);

  // Each returns the prepared bare JID it acted on. Errors: "jid-malformed" (not a bare
  // user JID), "item-not-found" (not a local domain, or no such user), "conflict" (add of an
  // existing user), "not-acceptable" (empty password), or the store's own error.
  Result<std::string> add(std::string_view jid, std::string_view password);
  Result<std::string> remove(std::string_view jid);
  Result<std::string> setPassword(std::string_view jid, std::string_view password);
  // Sorted bare JIDs: every stored user, or those of one local domain.
  Result<std::vector<std::string>> list(std::string_view domain = {});

  // Prepares an operator-typed JID: bare, with a localpart, under a local domain.
  Result<std::string> prepareUserJid(std::string_view jid) const;

 private:
  Result<UserRecord> makeRecord(const std::string& jid, std::string_view password);
  bool isLocal(const std::string& domain) const;

  Store& store_;
  std::vector<std::string> localDomains_;
  Random& random_;
};

}  // namespace impd::storage
