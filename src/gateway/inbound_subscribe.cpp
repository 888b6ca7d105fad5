// Subscriptions, SIP -> XMPP (inbound_subscribe.h).
#include "gateway/inbound_subscribe.h"

#include "codec/simple/namespaces.h"
#include "codec/sip/headers.h"
#include "gateway/address_map.h"
#include "gateway/sip_common.h"
#include "gateway/text_util.h"
#include "gateway/xmpp_common.h"
#include "gateway/xmpp_to_sip_presence.h"

namespace impd::gateway {
namespace {

// Whether one Accept entry admits application/pidf+xml: the type itself or a wildcard, and not
// disabled with q=0 (RFC 3261 §20.1 takes HTTP's Accept semantics).
bool admitsPidf(std::string_view entry) {
  auto range = sip::ParamValue::parseMediaType(entry);
  if (!range) return false;
  if (auto q = range->param("q"); q && trim(*q).find_first_not_of("0.") == std::string::npos) {
    return false;
  }
  const std::string& type = range->value();
  return type == simple::kPidfType || type == "application/*" || type == "*/*";
}

bool acceptAllowsPidf(const sip::Message& subscribe) {
  const auto values = subscribe.getAll("Accept");
  if (values.empty()) return true;  // RFC 3856: absent Accept means PIDF
  for (const auto value : values) {
    for (std::string_view entry : splitCommas(value)) {
      if (admitsPidf(entry)) return true;
    }
  }
  return false;
}

std::string requiredExtensions(const sip::Message& subscribe) {
  std::string out;
  for (const auto value : subscribe.getAll("Require")) {
    for (std::string_view tag : splitCommas(value)) {
      if (!out.empty()) out.append(", ");
      out.append(tag);
    }
  }
  return out;
}

sip::Message refuse(const sip::Message& subscribe, std::string_view toTag, int status,
                    std::string_view header = {}, std::string value = {}) {
  sip::Message response = responseTo(subscribe, status, toTag);
  if (!header.empty()) response.add(header, std::move(value));
  return response;
}

bool hasToTag(const sip::Message& request) {
  auto to = sip::NameAddr::parse(request.get("To").value_or(""));
  return to && !to->tag().empty();
}

}  // namespace

InboundSubscribeCheck checkInboundSubscribe(const sip::Message& subscribe,
                                            const sip::ExpiryPolicy& policy,
                                            std::string_view toTag) {
  InboundSubscribeCheck check;
  check.event = std::string(subscribe.get("Event").value_or(""));
  auto event = sip::ParamValue::parse(check.event);
  if (!event || !iequals(event->value(), kPresenceEvent)) {
    check.refusal = refuse(subscribe, toTag, 489, "Allow-Events", std::string(kPresenceEvent));
    return check;
  }
  // COMPAT: Lync - batched subscriptions (Require: adhoclist, categoryList) get 420 so the
  // pool falls back to one SUBSCRIBE per user.
  if (std::string required = requiredExtensions(subscribe); !required.empty()) {
    check.refusal = refuse(subscribe, toTag, 420, "Unsupported", std::move(required));
    return check;
  }
  if (!acceptAllowsPidf(subscribe)) {
    check.refusal = refuse(subscribe, toTag, 406, "Accept", std::string(simple::kPidfType));
    return check;
  }
  if (auto expires = subscribe.get("Expires")) {
    auto seconds = sip::parseDeltaSeconds(*expires);
    if (!seconds) {
      check.refusal = refuse(subscribe, toTag, 400);
      return check;
    }
    check.requestedExpires = *seconds;
  }
  const sip::ExpiresDecision decision = sip::decideExpires(check.requestedExpires, policy);
  if (decision.tooBrief) {
    check.refusal = refuse(subscribe, toTag, 423, "Min-Expires",
                           std::to_string(policy.minExpires.count()));
    return check;
  }
  const bool ending = decision.granted.count() == 0;
  if (hasToTag(subscribe)) {
    check.kind = ending ? InboundSubscribeKind::unsubscribe : InboundSubscribeKind::refresh;
  } else {
    check.kind = ending ? InboundSubscribeKind::fetch : InboundSubscribeKind::initial;
  }
  return check;
}

sip::Message acceptInboundSubscribe(const sip::Message& subscribe, std::string_view toTag,
                                    std::string_view contact, std::chrono::seconds granted) {
  const bool dialogForming = !hasToTag(subscribe);
  sip::Message response = responseTo(subscribe, 200, toTag);
  if (dialogForming) copyRecordRoute(subscribe, response);
  response.add("Expires", std::to_string(granted.count()));
  if (!contact.empty()) response.add("Contact", std::string(contact));
  return response;
}

Result<std::optional<xml::Element>> xmppStanzaForInboundSubscribe(const sip::Message& subscribe,
                                                                  InboundSubscribeKind kind) {
  auto parties = partiesOf(subscribe);
  if (!parties) return parties.error();
  if (kind != InboundSubscribeKind::initial) return std::optional<xml::Element>();
  return std::optional<xml::Element>(
      makeStanza("presence", parties->sender.bare(), parties->target.bare(), "subscribe"));
}

Result<std::string> applyLocalAnswer(LocalSubscriptionRequest answer,
                                     sip::NotifierSubscription& subscription,
                                     const xmpp::Jid& user, std::string_view currentPidf,
                                     DenyStyle style) {
  if (answer == LocalSubscriptionRequest::approve) {
    subscription.activate();
    return std::string(currentPidf);
  }
  if (answer != LocalSubscriptionRequest::deny) {
    return makeError("bad-request", "not an answer to a subscription request");
  }
  if (style == DenyStyle::reject) {
    subscription.terminate(sip::TerminationReason::Rejected);
    return std::string();
  }
  auto body = politeBlockPidf(user);
  if (!body) return body.error();
  subscription.activate();
  return std::move(*body);
}

}  // namespace impd::gateway
