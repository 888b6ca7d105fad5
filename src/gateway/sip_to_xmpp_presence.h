#pragma once
// Presence, SIP -> XMPP: what a NOTIFY for one of our outbound subscriptions means to the local
// watcher. The subscription state maps as RFC 8048 does (protocol-notes §1.4):
//
//   Subscription-State                        meaning                 stanzas to the watcher
//   pending                                   pending                 none
//   active, first time (not yet approved)     subscriptionApproved    subscribed, then presence
//   active                                    presence / ignore       presence (none w/o body)
//   terminated;reason=rejected|noresource     subscriptionRejected    unsubscribed (then
//                                                                     unavailable if shown)
//   terminated;reason=deactivated|timeout|    subscriptionEndedRetry  presence only if the NOTIFY
//     probation|giveup, or no reason                                  has a body (a fetch answer)
//   terminated;reason=invariant               presence / ignore       presence if a body
//
// A 2xx to SUBSCRIBE is not approval; only an active NOTIFY is. The retry group is SIP
// housekeeping, never an XMPP event: the caller re-subscribes (sip::SubscriberSubscription says
// when) and the watcher's roster is left alone.
//
// Presence stanzas come from the subscription's presentity, never from the PIDF entity (a
// peer cannot speak for another address), with a resource synthesized from the tuple id
// (resourceForTuple) so each SIP device reads as one stable XMPP resource.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "codec/presence/profile.h"
#include "codec/sip/message.h"
#include "codec/sip/subscription.h"
#include "codec/xmpp/jid.h"
#include "xml/element.h"

namespace impd::gateway {

enum class NotifyMeaning {
  presence,                // a state change: deliver the stanzas
  subscriptionApproved,    // the first active NOTIFY: the watcher is now subscribed
  subscriptionRejected,    // the presentity refused (or is gone): do not re-subscribe
  subscriptionEndedRetry,  // SIP ended it for housekeeping: re-subscribe, tell XMPP nothing
  pending,                 // awaiting the presentity's decision: nothing to deliver
  ignore,                  // nothing to deliver (no or unreadable body, body type not PIDF)
};
std::string_view toString(NotifyMeaning meaning);

struct NotifyContext {
  xmpp::Jid watcher;     // the local user who subscribed (bare)
  xmpp::Jid presentity;  // the remote user subscribed to (bare): the key, not the PIDF entity
  presence::System peer = presence::System::generic;  // reads the activity tokens and tables
  // Whether the watcher was already told `subscribed` (its roster item has To or Both). The
  // first active NOTIFY after that is plain presence.
  bool approved = false;
  // The resource of the last available presence sent for this presentity, "" when none. If
  // the device's tuple id changes, that resource is made unavailable first, so the client
  // does not keep a ghost resource online.
  std::string lastResource;
  // false: presence comes from the bare JID (for clients that prefer one resource-less
  // contact); true: from presentity/resourceForTuple(tuple id).
  bool synthesizeResource = true;
};

struct NotifyTranslation {
  NotifyMeaning meaning = NotifyMeaning::ignore;
  sip::SubscriptionStateValue state;  // as parsed: feed the NOTIFY to SubscriberSubscription too
  std::vector<xml::Element> stanzas;  // to route, in order
  // The resource now shown available ("" when none is): the next call's lastResource.
  std::string resource;
};

// Reads a NOTIFY of our subscription (context.watcher -> context.presentity). Errors:
//  - "bad-event": Event missing or not presence (answer 489);
//  - "bad-request": Subscription-State missing or malformed (answer 400).
// An unreadable PIDF is not an error: the NOTIFY is answered 200 and its body ignored, because
// a failure response would end the subscription for the sake of one bad document.
Result<NotifyTranslation> translateNotify(const sip::Message& notify,
                                          const NotifyContext& context);

// A stable resourcepart for a PIDF tuple id: the id itself when it is short plain ASCII
// (letters, digits, '-', '_', '.'; at most 64 bytes), else "t" + 16 hex digits of a fixed
// 64-bit hash of it; "sip" for an empty id (a body-less NOTIFY names no tuple).
std::string resourceForTuple(std::string_view tupleId);

}  // namespace impd::gateway
