// Subscriptions, XMPP -> SIP (outbound_subscribe.h).
#include "gateway/outbound_subscribe.h"

#include <functional>

#include "codec/simple/namespaces.h"
#include "gateway/address_map.h"
#include "gateway/sip_common.h"
#include "gateway/xmpp_common.h"

namespace impd::gateway {
namespace {

void addSubscribeHeaders(sip::Message& request, std::chrono::seconds expires) {
  request.add("Event", std::string(kPresenceEvent));
  request.add("Accept", std::string(simple::kPidfType));
  request.add("Expires", std::to_string(expires.count()));
}

}  // namespace

SubscriptionKey makeSubscriptionKey(const xmpp::Jid& watcher, const xmpp::Jid& presentity) {
  return SubscriptionKey{watcher.bare(), presentity.bare()};
}

std::size_t SubscriptionKeyHash::operator()(const SubscriptionKey& key) const {
  const std::size_t a = std::hash<xmpp::Jid>{}(key.watcher);
  const std::size_t b = std::hash<xmpp::Jid>{}(key.presentity);
  return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
}

Result<OutboundSubscribe> buildSubscribe(const SubscriptionKey& key,
                                         const OutboundSubscribeConfig& config, Random& random,
                                         std::optional<std::chrono::seconds> expires,
                                         std::string_view displayName) {
  if (config.contact.empty()) return makeError("bad-request", "SUBSCRIBE needs our Contact");
  auto target = aorForJid(key.presentity);
  if (!target) return target.error();
  auto from = nameAddrForJid(key.watcher, displayName);
  if (!from) return from.error();
  auto to = nameAddrForJid(key.presentity);
  if (!to) return to.error();

  OutboundSubscribe out;
  out.callId = newCallId(random, config.callIdHost);
  out.localTag = newTag(random);
  from->setTag(out.localTag);

  sip::Message& request = out.request;
  request = sip::Message::request("SUBSCRIBE", target->str());
  request.add("Max-Forwards", "70");
  request.add("From", from->str());
  request.add("To", to->str());
  request.add("Call-ID", out.callId);
  request.add("CSeq", "1 SUBSCRIBE");
  request.add("Contact", config.contact);
  addSubscribeHeaders(request, expires.value_or(config.expires));
  request.add("Allow", std::string(kAllowMethods));
  return out;
}

sip::Message buildRefreshSubscribe(sip::Dialog& dialog, std::chrono::seconds expires) {
  sip::Message request = dialog.createRequest("SUBSCRIBE");
  addSubscribeHeaders(request, expires);
  return request;
}

sip::Message buildUnsubscribe(sip::Dialog& dialog) {
  return buildRefreshSubscribe(dialog, std::chrono::seconds(0));
}

LocalSubscriptionRequest classifyLocalPresence(const xml::Element& presence) {
  const std::string_view type = presence.attr("type");
  if (type == "subscribe") return LocalSubscriptionRequest::subscribe;
  if (type == "unsubscribe") return LocalSubscriptionRequest::unsubscribe;
  if (type == "subscribed") return LocalSubscriptionRequest::approve;
  if (type == "unsubscribed") return LocalSubscriptionRequest::deny;
  if (type == "probe") return LocalSubscriptionRequest::probe;
  return LocalSubscriptionRequest::none;
}

SubscribeOutcome outcomeOfSubscribeResponse(int status) {
  if (status >= 200 && status < 300) return SubscribeOutcome::accepted;
  switch (status) {
    case 423:
      return SubscribeOutcome::intervalTooBrief;
    case 408:  // no answer in time
    case 480:  // temporarily unavailable
    case 481:  // subscription lost at the notifier: start over
    case 486:  // busy here
    case 491:  // request pending
    case 600:  // busy everywhere
      return SubscribeOutcome::retryLater;
    default:
      break;
  }
  if (status >= 500 && status < 600 && status != 501) return SubscribeOutcome::retryLater;
  return SubscribeOutcome::rejected;
}

xml::Element unsubscribedStanza(const SubscriptionKey& key) {
  return makeStanza("presence", key.presentity.bare(), key.watcher.bare(), "unsubscribed");
}

}  // namespace impd::gateway
