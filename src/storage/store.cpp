#include "storage/store.h"

namespace impd::storage {

Result<void> Store::deleteAccount(const std::string& jid) {
  if (!users().find(jid)) return makeError("item-not-found", "no such user: " + jid);
  // What the user owns goes first and the account row last. The stores are separate
  // interfaces with no transaction spanning them, so a failure midway leaves the account in
  // place, and running the deletion again finishes the job; the reverse order could leave
  // rows behind that no command can reach any more.
  if (auto r = sipSubscriptions().removeUser(jid); !r) return r;
  if (auto r = sipWatchers().removeUser(jid); !r) return r;
  if (auto r = privacy().removeUser(jid); !r) return r;
  if (auto r = offline().removeUser(jid); !r) return r;
  if (auto r = roster().removeUser(jid); !r) return r;
  return users().remove(jid);
}

}  // namespace impd::storage
