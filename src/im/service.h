#pragma once
// The RFC 6121 instant messaging and presence service for local users: roster, subscriptions,
// presence broadcast and probes, message delivery and offline storage, blocking, and the
// server's own IQs (disco, ping, version). Protocol front ends (c2s now, s2s and the SIP
// gateway later) hand it stanzas; it never touches a socket.
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/session.h"
#include "base/result.h"
#include "im/context.h"
#include "storage/privacy.h"
#include "xml/element.h"

namespace impd::im {

class Service {
 public:
  explicit Service(Context ctx);
  ~Service();

  // A stanza from a bound local client session; 'from' is already stamped with the session's
  // full JID and 'to' (when present) is a valid JID string. Runs on the session's I/O thread.
  boost::asio::awaitable<void> fromClient(std::shared_ptr<core::ClientSession> session,
                                          xml::Element stanza);
  // The session is gone for good (stream closed, or its resumption window expired):
  // broadcasts unavailable if it was available and sends unavailable to directed-presence
  // targets. Called exactly once per session, after it left the registry.
  boost::asio::awaitable<void> sessionEnded(std::shared_ptr<core::ClientSession> session);
  // Routes a stanza whose 'from' is already trustworthy (used by other front ends).
  boost::asio::awaitable<void> route(xml::Element stanza);

  bool isLocalDomain(std::string_view domain) const;

  // What a watcher in another domain may see of a local user, for a gateway that must answer
  // a subscription in its own protocol before the XMPP exchange is over (SIP: 200 and the
  // first NOTIFY at once). `presence`: for kAuthorized, the user's current presence as that
  // watcher's domain sees it - one available stanza per resource, or one unavailable.
  struct WatcherView {
    enum class Standing { kNoSuchUser, kPending, kAuthorized, kWithheld } standing = Standing::kPending;
    std::vector<xml::Element> presence;
  };
  boost::asio::awaitable<WatcherView> watcherView(std::string user, std::string watcher);

  // The privacy policy of a local user (prepared bare JID), as the admin API shows it.
  boost::asio::awaitable<storage::PrivacyPolicy> privacyPolicy(std::string user);
  // Replaces it as the admin API does: the user's clients get the XEP-0191 and XEP-0016
  // pushes, and presence follows (contacts that lost sight of the user see them offline).
  boost::asio::awaitable<Result<void>> setPrivacyPolicy(std::string user,
                                                        storage::PrivacyPolicy policy);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace impd::im
