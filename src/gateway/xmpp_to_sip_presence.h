#pragma once
// Presence, XMPP -> SIP: what a SIP watcher is told about a local user. The user's
// <presence/> (show + status, RFC 6121 §4.7) is read as a canonical state through the standard
// client's vocabulary (codec/presence/xmpp_show.h), mapped to what a watcher of the peer's
// system sees (the seed's tables 3 and 6 for OCS and Lync; identity for a generic SIMPLE peer),
// and written as the single-tuple PIDF Lync consumes (codec/simple/pidf.h). The NOTIFY that
// carries it is built inside the notifier dialog the watcher's SUBSCRIBE created.
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/presence/profile.h"
#include "codec/simple/pidf.h"
#include "codec/sip/dialog.h"
#include "codec/sip/message.h"
#include "codec/sip/subscription_notifier.h"
#include "codec/xmpp/jid.h"
#include "gateway/sip_common.h"
#include "xml/element.h"

namespace impd::gateway {

// The PIDF record for `presence`, an available (no type) or unavailable presence of local user
// `user` (its bare JID is the entity, "pres:user@domain"), as a watcher on a peer of system
// `watcher` (lync, ocs, generic) should see it:
//  - basic open, or closed for type='unavailable';
//  - the state as an RPID activity (buildPidf spells it); where the peer's table folds the
//    state into a poorer one (dnd -> Busy for Lync) and the user set no status text, the note
//    names the richer state ("Do not disturb") so it survives the hop;
//  - note = the user's <status> (the one without xml:lang, else the first).
// Error "bad-request" for any other presence type (subscription stanzas and probes carry no
// state) or a user whose domain has no SIP form.
Result<simple::PresenceDocument> pidfDocumentForPresence(const xml::Element& presence,
                                                         const xmpp::Jid& user,
                                                         presence::System watcher);
// The same, written out (application/pidf+xml).
Result<std::string> pidfForPresence(const xml::Element& presence, const xmpp::Jid& user,
                                    presence::System watcher);

// The polite-block document (RFC 5025 polite-block, the seed's "deny"): closed, no note, no
// activity, so nothing of the user's real state leaks to a watcher the user refused.
Result<std::string> politeBlockPidf(const xmpp::Jid& user);

// A NOTIFY in the notifier dialog `dialog` (the UAS side of the watcher's SUBSCRIBE; the call
// advances its local CSeq): Event (`event`, which must echo the SUBSCRIBE's Event including any
// ;id=), Subscription-State from `subscription` at `now`, Contact (the dialog's local contact),
// and the body with Content-Type application/pidf+xml when `pidfBody` is not empty and the
// subscription is active, or has just ended by timeout - the answer to the watcher's own
// Expires: 0, which for a fetch must carry the state. Pending and otherwise terminated NOTIFYs
// go without a body: a pending watcher must not see state, a rejected one is told only that it
// ended. The caller passes an empty body to a watcher the user has not authorized (a fetch
// from a pending watcher also ends by timeout). The transport adds Via.
sip::Message buildPresenceNotify(sip::Dialog& dialog,
                                 const sip::NotifierSubscription& subscription,
                                 sip::TimePoint now, std::string_view pidfBody,
                                 std::string_view event = kPresenceEvent);

}  // namespace impd::gateway
