#pragma once
// Subscriptions, XMPP -> SIP: the SUBSCRIBEs the gateway sends when a local user subscribes to
// (or probes, or leaves) a contact in a SIP-federated domain (RFC 8048, RFC 6665, RFC 3856).
//
// One SIP subscription per (local watcher, remote presentity), never shared: when two local
// users watch the same Lync user, each has its own subscription, because the seed's system
// sends "an outgoing subscription even if an active subscription already exists between a
// different local user to the same external user" and the remote side authorizes each
// watcher on its own. SubscriptionKey is that identity (outbound_subscriptions.h keeps them).
//
// The gateway owns the SIP subscription and refreshes it for as long as the XMPP subscription
// lasts (XMPP subscriptions do not expire).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/random.h"
#include "base/result.h"
#include "codec/sip/dialog.h"
#include "codec/sip/message.h"
#include "codec/xmpp/jid.h"
#include "xml/element.h"

namespace impd::gateway {

struct SubscriptionKey {
  xmpp::Jid watcher;     // local user, bare
  xmpp::Jid presentity;  // remote SIP user, bare

  friend bool operator==(const SubscriptionKey&, const SubscriptionKey&) = default;
};
// Both JIDs reduced to bare: resources never make two subscriptions.
SubscriptionKey makeSubscriptionKey(const xmpp::Jid& watcher, const xmpp::Jid& presentity);

struct SubscriptionKeyHash {
  std::size_t operator()(const SubscriptionKey& key) const;
};

struct OutboundSubscribeConfig {
  // Our Contact header value, e.g. "<sip:imp.example.com:5061;transport=tls>": where the
  // NOTIFYs come. Required (RFC 6665).
  std::string contact;
  // Requested duration (RFC 3856 default). Lync grants between 1200 s and 43200 s.
  std::chrono::seconds expires{3600};
  // Host part of new Call-IDs ("random@host"); "" for the random part alone.
  std::string callIdHost;
};

struct OutboundSubscribe {
  sip::Message request;  // without Via: the transport adds it
  std::string callId;
  std::string localTag;  // our From tag: NOTIFYs carry it as their To tag
};

// The initial, dialog-forming SUBSCRIBE from `key.watcher` to `key.presentity`: Request-URI and
// To the presentity's AoR, From the watcher's AoR with a fresh tag (and `displayName`, quoted),
// new Call-ID, CSeq 1, Max-Forwards 70, Event: presence, Accept: application/pidf+xml (the only
// format we read; Lync would pick its enhanced format if we offered it), Expires, Contact,
// Allow. No Supported: we implement none of Lync's subscription extensions (ms-benotify,
// ms-piggyback-first-notify), and advertising them changes what Lync sends.
// `expires` overrides config.expires; zero makes a one-shot fetch (an XMPP probe): one NOTIFY
// with terminated state comes back. Error "jid-malformed" when an address has no SIP form,
// "bad-request" when config.contact is empty.
Result<OutboundSubscribe> buildSubscribe(const SubscriptionKey& key,
                                         const OutboundSubscribeConfig& config, Random& random,
                                         std::optional<std::chrono::seconds> expires = {},
                                         std::string_view displayName = {});

// The in-dialog refresh (next CSeq, same Call-ID and tags, route set, Contact): what
// sip::SubscriberSubscription asks for with SubscriberAction::Refresh.
sip::Message buildRefreshSubscribe(sip::Dialog& dialog, std::chrono::seconds expires);
// The in-dialog un-SUBSCRIBE (Expires: 0) for an XMPP unsubscribe. The notifier answers with a
// final terminated NOTIFY.
sip::Message buildUnsubscribe(sip::Dialog& dialog);

// What a local user's subscription-related presence asks of the gateway.
enum class LocalSubscriptionRequest {
  none,         // not a subscription stanza (available/unavailable/error presence)
  subscribe,    // type='subscribe': buildSubscribe
  unsubscribe,  // type='unsubscribe': buildUnsubscribe on our subscription
  approve,      // type='subscribed': activate the watcher's inbound subscription
  deny,         // type='unsubscribed': refuse or end it (inbound_subscribe.h: deny style)
  probe,        // type='probe': a fetch (Expires 0) or the cached state
};
LocalSubscriptionRequest classifyLocalPresence(const xml::Element& presence);

// What a final response to our SUBSCRIBE means.
enum class SubscribeOutcome {
  accepted,          // 2xx (202 too): the dialog exists; NOT approval - wait for NOTIFY
  intervalTooBrief,  // 423: send again with Expires = its Min-Expires
  retryLater,        // transient (408, 480, 486, 5xx but 501, 600): keep the roster, retry
  rejected,          // refused for good: the watcher gets <presence type='unsubscribed'/>
};
// 481 on a refresh means the subscription is gone at the notifier: the caller starts over
// with a new initial SUBSCRIBE (that is retryLater with no delay). 3xx is rejected: we do
// not follow redirects for presence, the address the user chose is the contact.
SubscribeOutcome outcomeOfSubscribeResponse(int status);

// <presence type='unsubscribed'/> from the presentity to the watcher (RFC 8048: a final 403 or
// 404 to SUBSCRIBE, or a terminated;reason=rejected NOTIFY).
xml::Element unsubscribedStanza(const SubscriptionKey& key);

}  // namespace impd::gateway
