#pragma once
// Address mapping between JIDs and SIP URIs (RFC 7247 §5). The gateway is domain based:
// juliet@example.com and sip:juliet@example.com are one identity, so the mapping is mostly
// spelling: the domain goes to its A-label form for SIP (IDNA) and back to U-labels for XMPP,
// the localpart is case-mapped by PRECIS on the way in (SIP user parts are case-sensitive,
// JID localparts are not), and percent-escapes in a SIP user part are decoded.
//
// Resources: presence subscriptions and Address-of-Record targets use bare JIDs, so a full
// JID maps to the AoR with its resource dropped. The one exception is a GRUU (RFC 5627): a
// SIP URI with a `gr` parameter names one device, and its value is kept as the resource, so
// that gruuForJid() can give the same URI back.
//
// Unmappable addresses: a SIP user part that holds, once decoded, a character a localpart
// may not hold (space " & ' / : < > @, or whatever PRECIS refuses) is an Error with condition
// "jid-malformed". We do not apply XEP-0106 escaping: a Lync user name never needs it, and
// an escaped JID would not map back to the same SIP URI. What the caller answers in SIP is
// sipStatusForUnmappable(): 404 when the address was the target (Request-URI or To: no such
// user can exist on our side), 400 when it was the sender (From: the request is malformed as
// far as we can represent it).
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/sip/headers.h"
#include "codec/sip/message.h"
#include "codec/sip/uri.h"
#include "codec/xmpp/jid.h"

namespace impd::gateway {

enum class AddressRole {
  target,  // Request-URI or To: the user the request is for
  sender,  // From: who sent it
};

// 404 for a target, 400 for a sender (see the file comment).
int sipStatusForUnmappable(AddressRole role);

// The SIP host for a JID domainpart: IDN labels as A-labels ("xn--..."), ASCII kept, IP
// literals kept. Error "jid-malformed" when IDNA refuses a label.
Result<std::string> sipHostForDomain(std::string_view domain);

// sip:local@domain (or sip:domain for a domain JID); the resource is dropped.
Result<sip::Uri> aorForJid(const xmpp::Jid& jid);
// The AoR plus ";gr=<resource>" when the JID has a resource: the inverse of
// fullJidForSipUri() on a GRUU. Use it only for a resource that came from a GRUU.
Result<sip::Uri> gruuForJid(const xmpp::Jid& jid);
// "pres:local@domain", the PIDF entity of a presentity (RFC 3863, RFC 3859).
Result<std::string> presEntityForJid(const xmpp::Jid& jid);
// A From/To value for the JID's AoR. A display name is always written quoted (escaped by
// the SIP codec), so any text a user typed there cannot break the header.
Result<sip::NameAddr> nameAddrForJid(const xmpp::Jid& jid, std::string_view displayName = {});

// The bare JID of a sip:, sips:, pres: or im: URI: percent-decoded user part as localpart,
// host as domainpart (A-labels become U-labels). Parameters (user=, transport=, gr=) and the
// port are dropped. Error "jid-malformed" for other schemes (tel:, http:), user=phone, or a
// user part or host that is not a valid JID part.
Result<xmpp::Jid> jidForSipUri(const sip::Uri& uri);
// As jidForSipUri(), with the GRUU's `gr` value as resourcepart when the URI has one.
Result<xmpp::Jid> fullJidForSipUri(const sip::Uri& uri);
// The bare JID of a From/To/P-Asserted-Identity value or of a bare URI text.
Result<xmpp::Jid> jidForSipAddress(std::string_view nameAddrOrUri);

// Who a SIP request is from and for, as bare JIDs. The sender is From's URI. The target is
// the Request-URI when it has a user part (an initial request to user@domain), else To's URI:
// in-dialog requests are addressed to our Contact, which names no user. Errors carry the XMPP
// condition whose RFC 7247 SIP status is the right answer: "jid-malformed" (400) for the
// sender, "item-not-found" (404) for the target - see sipStatusForUnmappable().
struct RequestParties {
  xmpp::Jid sender;
  xmpp::Jid target;
};
Result<RequestParties> partiesOf(const sip::Message& request);

}  // namespace impd::gateway
