#include "server/remote_routes.h"

namespace impd::server {

bool RemoteRoutes::permits(std::string_view domain) const {
  return (sip_ != nullptr && sip_->permits(domain)) || (xmpp_ != nullptr && xmpp_->permits(domain));
}

void RemoteRoutes::send(std::string_view localDomain, std::string_view remoteDomain, xml::Element stanza) {
  if (sip_ != nullptr && sip_->permits(remoteDomain)) {
    sip_->send(localDomain, remoteDomain, std::move(stanza));
  } else if (xmpp_ != nullptr) {
    xmpp_->send(localDomain, remoteDomain, std::move(stanza));
  }
}

void RemoteRoutes::presenceWithheld(std::string_view user, std::string_view watcher) {
  if (sip_ != nullptr) sip_->presenceWithheld(user, watcher);
  if (xmpp_ != nullptr) xmpp_->presenceWithheld(user, watcher);
}

}  // namespace impd::server
