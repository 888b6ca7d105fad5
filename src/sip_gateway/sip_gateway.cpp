// The gateway's plumbing: requests in, stanzas out, answers that wait for XMPP, the clock.
#include "sip_gateway/sip_gateway.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.h"
#include "codec/sip/dialog_id.h"
#include "codec/xmpp/stanza.h"
#include "gateway/error_translation.h"
#include "gateway/sip_common.h"

namespace impd::sip_gateway {

namespace asio = boost::asio;

namespace {

sip::TransportKind transportOf(config::SipTransport transport) {
  switch (transport) {
    case config::SipTransport::kUdp: return sip::TransportKind::Udp;
    case config::SipTransport::kTcp: return sip::TransportKind::Tcp;
    case config::SipTransport::kTls: break;
  }
  return sip::TransportKind::Tls;
}

Peer peerFor(const config::SipFederatedDomain& domain) {
  Peer peer;
  switch (domain.profile) {
    case config::SipProfile::kLync:
      peer.system = presence::System::lync;
      peer.sessionMode = true;
      break;
    case config::SipProfile::kOcs:
      peer.system = presence::System::ocs;
      peer.sessionMode = true;
      break;
    case config::SipProfile::kGeneric: break;
  }
  if (domain.route) peer.transport = transportOf(domain.route->transport);
  return peer;
}

// Stanzas for local users, in the order given: a NOTIFY's 'subscribed' must reach the roster
// before the presence that follows it.
asio::awaitable<void> routeInOrder(im::Service& im, std::vector<xml::Element> stanzas) {
  for (auto& stanza : stanzas) co_await im.route(std::move(stanza));
}

asio::awaitable<void> routeThen(im::Service& im, xml::Element stanza, std::function<void()> then) {
  co_await im.route(std::move(stanza));
  then();
}

}  // namespace

SipGateway::SipGateway(Deps deps, const config::Config& config, Options options)
    : deps_(deps), options_(options), core_(deps.sip.executor()) {
  for (const auto& domain : config.sip.federatedDomains) peers_[domain.domain] = peerFor(domain);
  if (!config.server.domains.empty()) callIdHost_ = config.server.domains.front();
  // The SDP of an IM session names where MSRP would go; for "sip null" sessions it only has
  // to be a well-formed address of ours.
  sdp_.address = config.sip.listen.empty() ? "127.0.0.1" : config.sip.listen.front().host;
  sdp_.port = config.sip.listen.empty() ? 5061 : config.sip.listen.front().port;
  sdp_.acceptTypes = {};
}

SipGateway::~SipGateway() = default;

void SipGateway::start() {
  deps_.sip.setRequestHandler([this](sip::IncomingRequest request) { onRequest(std::move(request)); });
  deps_.sip.setDialogCheck([this](const sip::Message& request) { return knownDialog(request); });
  ticker_ = std::make_unique<asio::steady_timer>(core_);
  flushTimer_ = std::make_unique<asio::steady_timer>(core_);
  asio::co_spawn(core_, [this] { return tickLoop(); }, asio::detached);
  asio::co_spawn(core_, [this] { return restoreSubscriptions(); }, asio::detached);
  asio::co_spawn(core_, [this] { return restoreWatchers(); }, asio::detached);
}

void SipGateway::stop() {
  asio::post(core_, [this] {
    stopping_ = true;
    if (ticker_) ticker_->cancel();
  });
}

void SipGateway::send(std::string_view, std::string_view, xml::Element stanza) {
  asio::post(core_, [this, stanza = std::move(stanza)]() mutable { fromXmpp(std::move(stanza)); });
}

void SipGateway::presenceWithheld(std::string_view user, std::string_view watcher) {
  auto u = xmpp::Jid::parse(user);
  auto w = xmpp::Jid::parse(watcher);
  if (!u || !w) return;
  asio::post(core_, [this, u = *u, w = *w] {
    for (const std::string& key : watcherKeys(u, w)) withhold(watchers_.at(key));
    flushWatchers();
  });
}

void SipGateway::fromXmpp(xml::Element stanza) {
  if (stopping_) return;
  const std::string_view type = stanza.attr("type");
  if (type == "error") {
    // The answer to a stanza a SIP request was delivered as: that request's final response.
    if (auto it = deliveries_.find(std::string(stanza.attr("id"))); it != deliveries_.end()) {
      it->second.error = std::move(stanza);
    }
    return;
  }
  if (stanza.name() == "presence") {
    auto from = xmpp::Jid::parse(stanza.attr("from"));
    auto to = xmpp::Jid::parse(stanza.attr("to"));
    if (!from || !to) return;
    const auto key = gateway::makeSubscriptionKey(*from, *to);
    if (type == "subscribe") {
      subscribeTo(key, false, true);
    } else if (type == "unsubscribe") {
      unsubscribeFrom(key);
    } else if (type == "probe") {
      probe(key);
    } else if (type == "subscribed" || type == "unsubscribed") {
      watcherAnswer(stanza);
    } else if (type.empty() || type == "unavailable") {
      watcherPresence(stanza);
    }
    return;
  }
  if (stanza.name() == "message") {
    messageToSip(std::move(stanza));
    return;
  }
  if (stanza.name() == "iq" && (type == "get" || type == "set")) {
    // SIP users have no IQ services (vCard, disco, ping): RFC 7247 has nothing to map them to.
    toXmpp({xmpp::makeErrorReply(stanza, "service-unavailable")});
  }
}

void SipGateway::toXmpp(std::vector<xml::Element> stanzas) {
  if (stanzas.empty()) return;
  asio::co_spawn(core_, routeInOrder(deps_.im, std::move(stanzas)), asio::detached);
}

void SipGateway::deliverAndAnswer(sip::Message request, xml::Element stanza, std::string toTag,
                                  std::optional<sip::Message> success, std::function<void()> onFailure) {
  const std::string id = deps_.random.token(9);
  stanza.setAttr("id", id);
  deliveries_.insert_or_assign(id, Delivery{std::move(request), std::move(toTag), std::move(success),
                                            std::move(onFailure)});
  // Errors for the stanza come back through send() and are posted here; one more hop through
  // the strand lets any such post run before the answer is chosen.
  auto then = [this, id] { asio::post(core_, [this, id] { finishDelivery(id); }); };
  asio::co_spawn(core_, routeThen(deps_.im, std::move(stanza), std::move(then)), asio::detached);
}

void SipGateway::finishDelivery(const std::string& id) {
  auto it = deliveries_.find(id);
  if (it == deliveries_.end()) return;
  Delivery delivery = std::move(it->second);
  deliveries_.erase(it);
  if (delivery.error) {
    deps_.sip.respond(gateway::sipResponseForXmppError(delivery.request, *delivery.error, delivery.toTag));
    if (delivery.onFailure) delivery.onFailure();
  } else {
    deps_.sip.respond(delivery.success ? std::move(*delivery.success)
                                       : gateway::responseTo(delivery.request, 200, delivery.toTag));
  }
}

void SipGateway::sendRequest(sip::Message request, std::string domain, sip::ResponseCallback callback) {
  if (!callback) callback = [](const sip::ClientOutcome&) {};
  deps_.sip.sendRequest(std::move(request), sip::Target{std::move(domain)}, std::move(callback));
}

void SipGateway::onRequest(sip::IncomingRequest request) {
  if (stopping_) {
    if (!request.key.value.empty()) deps_.sip.respond(gateway::responseTo(request.message, 503));
    return;
  }
  const std::string& method = request.message.method();
  auto id = sip::dialogIdOfRequest(request.message);
  const bool inDialog = id && !id->localTag.empty();
  if (method == "SUBSCRIBE") {
    onSubscribe(std::move(request));
  } else if (method == "NOTIFY") {
    onNotify(std::move(request));
  } else if (method == "INVITE" && !inDialog) {
    onInvite(std::move(request));
  } else if (method == "MESSAGE" && !inDialog) {
    onPageMessage(std::move(request));
  } else if (method == "ACK") {
    // The ACK of our 200 to an INVITE: nothing to answer, the session is already open.
  } else {
    onInSession(std::move(request));
  }
}

bool SipGateway::knownDialog(const sip::Message& request) const {
  auto id = sip::dialogIdOfRequest(request);
  if (!id || id->localTag.empty()) return false;
  const std::string key = dialogKey(id->callId, id->localTag);
  return watchers_.contains(key) || sessions_.contains(key) ||
         outbound_.findByDialog(id->callId, id->localTag) != nullptr;
}

const Peer& SipGateway::peerOf(std::string_view domain) const {
  static const Peer generic;
  auto it = peers_.find(domain);
  return it == peers_.end() ? generic : it->second;
}

std::string SipGateway::contactFor(std::string_view domain) const {
  return deps_.sip.contact(peerOf(domain).transport);
}

std::string SipGateway::dialogKey(std::string_view callId, std::string_view localTag) {
  std::string key(callId);
  key += '\n';
  key += localTag;
  return key;
}

asio::awaitable<void> SipGateway::tickLoop() {
  while (!stopping_) {
    ticker_->expires_after(std::chrono::seconds(1));
    boost::system::error_code ec;
    co_await ticker_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping_) break;
    tick();
  }
}

void SipGateway::tick() {
  const TimePoint now = deps_.clock.now();
  tickWatchers(now);
  tickPresentities(now);
  tickSessions(now);
}

}  // namespace impd::sip_gateway
