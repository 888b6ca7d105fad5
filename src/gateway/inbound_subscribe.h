#pragma once
// Subscriptions, SIP -> XMPP: a remote watcher's SUBSCRIBE to a local user (RFC 6665, RFC 3856,
// RFC 8048). Three steps, each a function: check the request (refusals come back as complete
// responses), accept it (the 200 OK), and say what it means to XMPP. Then, when the local user
// answers, applyLocalAnswer() says what the next NOTIFY carries.
//
// What reaches XMPP:
//   initial SUBSCRIBE (no To tag, Expires > 0)  -> <presence type='subscribe'/> watcher -> user
//   refresh (in-dialog, Expires > 0)            -> nothing: it only extends the SIP dialog
//   un-SUBSCRIBE (Expires: 0)                   -> nothing
//   fetch (no To tag, Expires: 0)               -> nothing: answered from the current state
// An un-SUBSCRIBE is NOT an XMPP unsubscribe. SIP clients end their subscriptions whenever
// they sign out; turning that into <presence type='unsubscribe'/> would delete the roster
// relationship the user approved. Only the SIP dialog is torn down (protocol-notes §1.4).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/sip/message.h"
#include "codec/sip/subscription_notifier.h"
#include "codec/xmpp/jid.h"
#include "gateway/outbound_subscribe.h"
#include "xml/element.h"

namespace impd::gateway {

enum class InboundSubscribeKind { initial, refresh, unsubscribe, fetch };

struct InboundSubscribeCheck {
  // Set when the SUBSCRIBE is refused: the complete final response to send.
  //  489 + Allow-Events: presence  Event missing or not presence
  //  420 + Unsupported             Require names an extension (COMPAT: Lync pools batch
  //                                subscriptions with Require: adhoclist, categoryList and fall
  //                                back to one SUBSCRIBE per user on 420)
  //  406 + Accept                  Accept present and allowing no application/pidf+xml
  //  400                           Expires malformed
  //  423 + Min-Expires             Expires above zero and below the policy's minimum
  std::optional<sip::Message> refusal;
  InboundSubscribeKind kind = InboundSubscribeKind::initial;
  // The Expires asked for (nullopt: absent), for sip::NotifierSubscription::onSubscribe(),
  // whose grant goes into acceptInboundSubscribe().
  std::optional<std::uint32_t> requestedExpires;
  // The Event value as sent ("presence" or "presence;id=..."): NOTIFYs must echo it.
  std::string event;
};

// `toTag` is the tag a refusal puts in To when the SUBSCRIBE had none (RFC 3261 §8.2.6.2);
// use the same one for acceptInboundSubscribe().
InboundSubscribeCheck checkInboundSubscribe(const sip::Message& subscribe,
                                            const sip::ExpiryPolicy& policy,
                                            std::string_view toTag);

// The 200 OK (never the deprecated 202): To with `toTag` when the request had none, Expires =
// `granted`, Contact = `contact` (our Contact header value), and for a dialog-forming request
// its Record-Route copied (RFC 3261 §12.1.1; Lync sends in-dialog requests back only through
// the routes it recorded). The first NOTIFY must follow at once, pending or active
// (RFC 6665).
sip::Message acceptInboundSubscribe(const sip::Message& subscribe, std::string_view toTag,
                                    std::string_view contact, std::chrono::seconds granted);

// The XMPP stanza an accepted SUBSCRIBE of `kind` means (see the file comment): for an initial
// one <presence type='subscribe'/> from the watcher's bare JID (From) to the local user's bare
// JID (partiesOf() in address_map.h); nullopt otherwise. Errors as partiesOf().
Result<std::optional<xml::Element>> xmppStanzaForInboundSubscribe(const sip::Message& subscribe,
                                                                  InboundSubscribeKind kind);

// How a local user's refusal is shown to a SIP watcher.
enum class DenyStyle {
  // The seed's behaviour: the subscription is accepted (active) but the watcher sees the user
  // offline, now and in every later NOTIFY (RFC 5025 polite-block). The caller must keep
  // sending politeBlockPidf() to this watcher whatever the user's presence.
  politeBlock,
  // RFC 8048: NOTIFY terminated;reason=rejected; the watcher learns it was refused.
  reject,
};

// Applies the local user's answer to the watcher's subscription and returns the body of the
// NOTIFY to send now with buildPresenceNotify() (xmpp_to_sip_presence.h):
//  approve             -> activate; the user's current PIDF (`currentPidf`)
//  deny, politeBlock   -> activate; the polite-block document for `user`
//  deny, reject        -> terminate(rejected); no body
// Error "bad-request" for any other request (those are not answers to a subscription).
Result<std::string> applyLocalAnswer(LocalSubscriptionRequest answer,
                                     sip::NotifierSubscription& subscription,
                                     const xmpp::Jid& user, std::string_view currentPidf,
                                     DenyStyle style = DenyStyle::politeBlock);

}  // namespace impd::gateway
