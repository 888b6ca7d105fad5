#pragma once
// Where a stanza for another domain goes: a [[sip.federated_domain]] through the SIP gateway,
// anything else through XMPP server-to-server federation. The configuration keeps the two
// sets apart (a domain is SIP-federated or XMPP-federated, never both), so the order of the
// checks decides nothing.
#include "im/context.h"

namespace impd::server {

class RemoteRoutes final : public im::RemoteGateway {
 public:
  // Either may be null (that kind of federation is off). The SIP gateway is attached once the
  // IM service it talks to exists.
  explicit RemoteRoutes(im::RemoteGateway* xmpp) : xmpp_(xmpp) {}
  void attachSip(im::RemoteGateway* sip) { sip_ = sip; }

  bool permits(std::string_view domain) const override;
  void send(std::string_view localDomain, std::string_view remoteDomain, xml::Element stanza) override;
  void presenceWithheld(std::string_view user, std::string_view watcher) override;

 private:
  im::RemoteGateway* xmpp_;
  im::RemoteGateway* sip_ = nullptr;
};

}  // namespace impd::server
