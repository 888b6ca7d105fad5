// Presence, local user -> SIP presentity: we are the subscriber. One SIP subscription per
// (local watcher, remote user), refreshed for as long as the XMPP subscription lasts, stored so
// that a restart re-establishes it at once instead of leaving contacts blind until the user's
// next sign-in. NOTIFYs become XMPP presence (gateway/sip_to_xmpp_presence.h); a refusal
// becomes 'unsubscribed'; everything else SIP does to keep a subscription alive (refreshes,
// 481 after a peer restart, deactivated, timeouts) stays on this side.
#include "base/log.h"
#include "codec/sip/dialog_id.h"
#include "gateway/error_translation.h"
#include "gateway/sip_common.h"
#include "gateway/sip_to_xmpp_presence.h"
#include "sip_gateway/sip_gateway.h"

namespace impd::sip_gateway {

namespace {
// After a failure that may pass (no route, timeout, 480, 503): try again this much later.
constexpr std::chrono::seconds kRetryDelay{60};
// How long an ended subscription waits for its final NOTIFY (64*T1, RFC 6665 Timer N).
constexpr std::chrono::seconds kFinalNotifyWait{32};

std::optional<std::chrono::seconds> minExpiresOf(const sip::Message& response) {
  auto value = response.get("Min-Expires");
  if (!value) return std::nullopt;
  try {
    return std::chrono::seconds(std::stoul(std::string(*value)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}
}  // namespace

void SipGateway::subscribeTo(const gateway::SubscriptionKey& key, bool approved, bool store) {
  if (auto it = presentities_.find(key); it != presentities_.end()) {
    if (!it->second.ending) return;  // one SIP subscription per pair, whatever XMPP repeats
    forget(key);
  }
  sip::SubscriberConfig config;
  config.requestedExpires = options_.subscribeExpires;
  Presentity p{key, sip::SubscriberSubscription(config)};
  p.approved = approved;
  auto [it, inserted] = presentities_.emplace(key, std::move(p));
  if (store) storeSubscription(key, approved);
  sendSubscribe(it->second);
}

void SipGateway::sendSubscribe(Presentity& p, std::optional<std::chrono::seconds> expires) {
  const std::string domain = p.key.presentity.domain();
  gateway::OutboundSubscribeConfig config{contactFor(domain), options_.subscribeExpires, callIdHost_};
  auto built = gateway::buildSubscribe(p.key, config, deps_.random, expires);
  if (!built) {
    logger("sip")->warn("no SUBSCRIBE for {} -> {}: {}", p.key.watcher.str(), p.key.presentity.str(),
                        built.error().message);
    return;
  }
  if (outbound_.find(p.key) == nullptr) {
    outbound_.add(p.key, *built);
  } else {
    outbound_.replace(p.key, built->callId, built->localTag);
  }
  p.subscribe = built->request;
  p.dialog.reset();
  p.retryAt.reset();
  p.subscription.onSubscribeSent(deps_.clock.now());
  sendRequest(std::move(built->request), domain,
              [this, key = p.key](const sip::ClientOutcome& outcome) { onSubscribeOutcome(key, outcome); });
}

void SipGateway::onSubscribeOutcome(gateway::SubscriptionKey key, const sip::ClientOutcome& outcome) {
  if (!outcome.final) return;
  auto it = presentities_.find(key);
  if (it == presentities_.end()) return;
  Presentity& p = it->second;
  const TimePoint now = deps_.clock.now();
  if (p.ending) {
    // The final NOTIFY follows a 2xx; it is answered while we wait a little for it.
    const bool accepted = outcome.response && outcome.response->status() < 300;
    if (!accepted) {
      forget(key);
    } else {
      p.retryAt = now + kFinalNotifyWait;
    }
    return;
  }
  if (outcome.kind != sip::ClientOutcome::Kind::kResponse || !outcome.response) {
    logger("sip")->info("SUBSCRIBE {} -> {}: {}; retrying in {} s", key.watcher.str(), key.presentity.str(),
                        outcome.detail, kRetryDelay.count());
    p.retryAt = now + kRetryDelay;
    return;
  }
  const sip::Message& response = *outcome.response;
  const sip::SubscriberAction action = p.subscription.onResponse(response, now);
  switch (gateway::outcomeOfSubscribeResponse(response.status())) {
    case gateway::SubscribeOutcome::accepted:
      if (!p.dialog) {
        if (auto dialog = sip::Dialog::asUac(p.subscribe, response, outcome.destination.kind == sip::TransportKind::Tls)) {
          p.dialog = std::move(*dialog);
        }
      } else {
        p.dialog->onResponse(response);
      }
      break;
    case gateway::SubscribeOutcome::intervalTooBrief:
      sendSubscribe(p, minExpiresOf(response).value_or(options_.subscribeExpires));
      return;
    case gateway::SubscribeOutcome::retryLater:
      if (response.status() == 481) {
        sendSubscribe(p);  // the notifier forgot us (it restarted): start over now
      } else {
        p.retryAt = now + kRetryDelay;
      }
      return;
    case gateway::SubscribeOutcome::rejected:
      toXmpp({gateway::unsubscribedStanza(key)});
      forget(key);
      return;
  }
  applySubscriberAction(p, action);
}

void SipGateway::onNotify(sip::IncomingRequest request) {
  const sip::Message& m = request.message;
  auto id = sip::dialogIdOfRequest(m);
  const auto* entry = id ? outbound_.findByDialog(id->callId, id->localTag) : nullptr;
  if (entry == nullptr) {
    deps_.sip.respond(gateway::responseTo(m, 481));
    return;
  }
  const gateway::SubscriptionKey key = entry->key;
  Presentity& p = presentities_.at(key);
  if (!p.dialog) {
    auto dialog = sip::Dialog::fromNotify(p.subscribe, m, request.peer.tls);
    if (!dialog) {
      deps_.sip.respond(gateway::responseTo(m, 400));
      return;
    }
    p.dialog = std::move(*dialog);
    p.dialog->acceptsRequest(m);
  } else if (!p.dialog->acceptsRequest(m)) {
    deps_.sip.respond(gateway::responseTo(m, 500));
    return;
  }
  gateway::NotifyContext context{key.watcher, key.presentity, peerOf(key.presentity.domain()).system,
                                 p.approved, p.lastResource, true};
  auto translation = gateway::translateNotify(m, context);
  if (!translation) {
    deps_.sip.respond(gateway::sipRefusalFor(m, translation.error()));
    return;
  }
  auto action = p.subscription.onNotify(m, deps_.clock.now());
  deps_.sip.respond(gateway::responseTo(m, 200));

  p.lastResource = translation->resource;
  std::vector<xml::Element> presence;
  for (const xml::Element& stanza : translation->stanzas) {
    const std::string_view type = stanza.attr("type");
    if (type.empty() || type == "unavailable") presence.push_back(stanza);
  }
  if (!presence.empty()) p.last = presence;
  switch (translation->meaning) {
    case gateway::NotifyMeaning::subscriptionApproved:
      p.approved = true;
      storeSubscription(key, true);
      break;
    case gateway::NotifyMeaning::subscriptionRejected:
      toXmpp(std::move(translation->stanzas));
      forget(key);
      return;
    default:
      break;
  }
  toXmpp(std::move(translation->stanzas));
  if (p.ending && p.subscription.state() == sip::SubscriberSubscription::State::Terminated) {
    forget(key);
    return;
  }
  if (action) applySubscriberAction(p, *action);
}

void SipGateway::applySubscriberAction(Presentity& p, sip::SubscriberAction action) {
  switch (action) {
    case sip::SubscriberAction::None: return;
    case sip::SubscriberAction::Refresh:
      if (p.dialog) {
        sip::Message refresh = gateway::buildRefreshSubscribe(*p.dialog, p.subscription.requestedExpires());
        p.subscription.onSubscribeSent(deps_.clock.now());
        sendRequest(std::move(refresh), p.key.presentity.domain(),
                    [this, key = p.key](const sip::ClientOutcome& outcome) { onSubscribeOutcome(key, outcome); });
        return;
      }
      [[fallthrough]];
    case sip::SubscriberAction::Resubscribe:
      if (p.ending) return;
      // When the notifier named a moment (retry-after), the subscriber's timer says so.
      if (auto retry = p.subscription.retryAt(); retry && *retry > deps_.clock.now()) {
        p.retryAt = *retry;
        return;
      }
      sendSubscribe(p);
      return;
    case sip::SubscriberAction::Finished:
      // Over for good without a refusal (the notifier gave up): forget it, so that the next
      // probe for this contact subscribes afresh instead of reading a dead entry.
      forget(p.key);
      return;
  }
}

void SipGateway::unsubscribeFrom(const gateway::SubscriptionKey& key) {
  deps_.worker.post([&store = deps_.store, key] {
    (void)store.sipSubscriptions().remove(key.watcher.bareStr(), key.presentity.bareStr());
  });
  auto it = presentities_.find(key);
  if (it == presentities_.end()) return;
  Presentity& p = it->second;
  if (!p.dialog || p.ending) {
    forget(key);
    return;
  }
  p.ending = true;
  p.subscription.unsubscribe();
  sip::Message unsubscribe = gateway::buildUnsubscribe(*p.dialog);
  p.subscription.onSubscribeSent(deps_.clock.now());
  sendRequest(std::move(unsubscribe), key.presentity.domain(),
              [this, key](const sip::ClientOutcome& outcome) { onSubscribeOutcome(key, outcome); });
}

void SipGateway::probe(const gateway::SubscriptionKey& key) {
  auto it = presentities_.find(key);
  if (it == presentities_.end()) {
    // The IM service probes only contacts the user is subscribed to: a subscription we do not
    // hold (its row was lost, or it was made before this gateway ran) is made again.
    subscribeTo(key, true, true);
    return;
  }
  if (!it->second.last.empty()) toXmpp(it->second.last);
}

void SipGateway::forget(gateway::SubscriptionKey key) {
  presentities_.erase(key);
  outbound_.remove(key);
}

void SipGateway::storeSubscription(const gateway::SubscriptionKey& key, bool approved) {
  storage::SipSubscription row{key.watcher.bareStr(), key.presentity.bareStr(), approved};
  deps_.worker.post([&store = deps_.store, row] {
    if (auto put = store.sipSubscriptions().put(row); !put) {
      logger("sip")->warn("storing the subscription {} -> {}: {}", row.watcher, row.presentity,
                          put.error().message);
    }
  });
}

boost::asio::awaitable<void> SipGateway::restoreSubscriptions() {
  auto rows = co_await deps_.worker.run([&store = deps_.store] { return store.sipSubscriptions().all(); });
  std::size_t restored = 0;
  for (const storage::SipSubscription& row : rows) {
    auto watcher = xmpp::Jid::parse(row.watcher);
    auto presentity = xmpp::Jid::parse(row.presentity);
    if (!watcher || !presentity || !handles(presentity->domain())) continue;
    subscribeTo(gateway::makeSubscriptionKey(*watcher, *presentity), row.approved, false);
    ++restored;
  }
  if (restored > 0) logger("sip")->info("re-established {} SIP presence subscriptions", restored);
}

void SipGateway::tickPresentities(TimePoint now) {
  std::vector<gateway::SubscriptionKey> keys;
  keys.reserve(presentities_.size());
  for (const auto& [key, p] : presentities_) keys.push_back(key);
  for (const auto& key : keys) {
    auto it = presentities_.find(key);
    if (it == presentities_.end()) continue;
    Presentity& p = it->second;
    if (p.retryAt && now >= *p.retryAt) {
      if (p.ending) {
        forget(key);
      } else {
        sendSubscribe(p);
      }
      continue;
    }
    applySubscriberAction(p, p.subscription.onTimer(now));
  }
}

}  // namespace impd::sip_gateway
