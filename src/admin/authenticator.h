#pragma once
// Who is calling the admin API: HTTP Basic credentials (RFC 7617) checked against the account's
// stored SCRAM keys, so the API needs no password store of its own. Failed attempts are counted
// per address, like failed SASL authentications on c2s.
#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "core/blocking_worker.h"
#include "net/address_guard.h"
#include "storage/store.h"

namespace impd::admin {

class Authenticator {
 public:
  enum class Outcome { kAuthenticated, kMissing, kWrong, kThrottled };
  struct Identity {
    Outcome outcome = Outcome::kMissing;
    std::string jid;  // the prepared bare JID when authenticated
  };

  Authenticator(storage::Store& store, core::BlockingWorker& worker,
                std::vector<std::string> admins, Clock& clock);

  // `authorization` is the Authorization header value ("" when absent).
  boost::asio::awaitable<Identity> identify(std::string_view authorization,
                                            const std::string& address);
  bool isAdmin(const std::string& jid) const;

 private:
  storage::Store& store_;
  core::BlockingWorker& worker_;
  std::vector<std::string> admins_;
  net::AddressGuard failures_;
};

// Splits "Basic base64(user:password)"; nullopt when it is not that.
std::optional<std::pair<std::string, std::string>> parseBasic(std::string_view authorization);

}  // namespace impd::admin
