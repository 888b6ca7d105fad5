#include "storage/accounts.h"

#include <algorithm>

#include "codec/xmpp/jid.h"
#include "codec/xmpp/scram.h"

namespace impd::storage {

Accounts::Accounts(Store& store, std::vector<std::string> localDomains, Random& random)
    : store_(store), localDomains_(std::move(localDomains)), random_(random) {}

bool Accounts::isLocal(const std::string& domain) const {
  return std::find(localDomains_.begin(), localDomains_.end(), domain) != localDomains_.end();
}

Result<std::string> Accounts::prepareUserJid(std::string_view text) const {
  auto jid = xmpp::Jid::parse(text);
  if (!jid) return jid.error();
  if (!jid->isBare()) {
    return makeError("jid-malformed",
                     "a user is a bare JID, without a resource: " + std::string(text));
  }
  if (jid->local().empty()) {
    return makeError("jid-malformed",
                     "a user JID needs a localpart (user@domain): " + std::string(text));
  }
  if (!isLocal(jid->domain())) {
    return makeError("item-not-found", "not a local domain: " + jid->domain());
  }
  return jid->bareStr();
}

Result<UserRecord> Accounts::makeRecord(const std::string& jid, std::string_view password) {
  if (password.empty()) return makeError("not-acceptable", "the password must not be empty");
  UserRecord record;
  record.jid = jid;
  // One salt per hash: the two credential sets must not share a salt, or a weakness in
  // SHA-1 would say something about the SHA-256 keys.
  auto derive = [&](xmpp::ScramHash hash) {
    std::string salt(kSaltBytes, '\0');
    random_.fill(salt.data(), salt.size());
    return xmpp::deriveScramCredentials(password, hash, salt, kIterations);
  };
  record.sha1 = derive(xmpp::ScramHash::kSha1);
  record.sha256 = derive(xmpp::ScramHash::kSha256);
  return record;
}

Result<std::string> Accounts::add(std::string_view text, std::string_view password) {
  auto jid = prepareUserJid(text);
  if (!jid) return jid;
  auto record = makeRecord(*jid, password);
  if (!record) return record.error();
  if (auto added = store_.users().add(*record); !added) return added.error();
  return jid;
}

Result<std::string> Accounts::remove(std::string_view text) {
  auto jid = prepareUserJid(text);
  if (!jid) return jid;
  if (auto removed = store_.deleteAccount(*jid); !removed) return removed.error();
  return jid;
}

Result<std::string> Accounts::setPassword(std::string_view text, std::string_view password) {
  auto jid = prepareUserJid(text);
  if (!jid) return jid;
  auto record = makeRecord(*jid, password);
  if (!record) return record.error();
  if (auto updated = store_.users().update(*record); !updated) return updated.error();
  return jid;
}

Result<std::vector<std::string>> Accounts::list(std::string_view domain) {
  // Without a domain: everything stored, including users of a domain since dropped from the
  // config, so that the operator sees what the store holds.
  if (domain.empty()) return store_.users().list();
  auto prepared = xmpp::prepareDomain(domain);
  if (!prepared) return prepared.error();
  if (!isLocal(*prepared)) return makeError("item-not-found", "not a local domain: " + *prepared);
  return store_.users().list(*prepared);
}

}  // namespace impd::storage
