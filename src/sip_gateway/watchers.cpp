// Presence, SIP watcher -> local user: we are the RFC 6665 notifier. A SUBSCRIBE is answered
// only once the IM service said what this watcher may see (a user who does not exist gets 404,
// not a subscription), and the first NOTIFY follows the 200 at once:
//
//   standing        SIP state  body              XMPP
//   pending         pending    none              <presence type='subscribe'/> to the user
//   authorized      active     the user's state  nothing (the roster already says so)
//   withheld        active     offline           nothing: the seed's polite blocking
//
// Later the user's answer arrives as 'subscribed' (active, their state) or 'unsubscribed'
// (withheld: active, offline, for ever, and the watcher is never told). Presence changes are
// coalesced for a moment so that a burst (several resources, 'subscribed' then the presence
// that follows it) becomes one NOTIFY.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "base/log.h"
#include "codec/sip/dialog_id.h"
#include "gateway/address_map.h"
#include "gateway/error_translation.h"
#include "gateway/inbound_subscribe.h"
#include "gateway/sip_common.h"
#include "gateway/xmpp_common.h"
#include "gateway/xmpp_to_sip_presence.h"
#include "sip_gateway/sip_gateway.h"
#include "sip_gateway/watcher_record.h"

namespace impd::sip_gateway {

namespace asio = boost::asio;

namespace {

// Of several resources, the one a watcher should see: the most available.
int showRank(const xml::Element& presence) {
  const std::string show = presence.childText("show");
  if (show.empty() || show == "chat") return 0;
  if (show == "dnd") return 1;
  if (show == "away") return 2;
  return 3;
}

const xml::Element* mostAvailable(const std::map<std::string, xml::Element>& presence) {
  const xml::Element* best = nullptr;
  for (const auto& [from, stanza] : presence) {
    if (best == nullptr || showRank(stanza) < showRank(*best)) best = &stanza;
  }
  return best;
}

}  // namespace

SipGateway::Watcher::Watcher(xmpp::Jid u, xmpp::Jid w, sip::Dialog d, sip::ExpiryPolicy policy)
    : user(std::move(u)), watcher(std::move(w)), dialog(std::move(d)), subscription(policy) {}

void SipGateway::onSubscribe(sip::IncomingRequest request) {
  const sip::Message& m = request.message;
  auto id = sip::dialogIdOfRequest(m);
  const bool inDialog = id && !id->localTag.empty();
  const std::string toTag = inDialog ? id->localTag : gateway::newTag(deps_.random);
  auto check = gateway::checkInboundSubscribe(m, options_.expiry, toTag);
  if (check.refusal) {
    deps_.sip.respond(std::move(*check.refusal));
    return;
  }
  if (!inDialog) {
    asio::co_spawn(core_, admitWatcher(std::move(request), toTag, std::move(check)), asio::detached);
    return;
  }
  const std::string key = dialogKey(id->callId, toTag);
  auto it = watchers_.find(key);
  if (it == watchers_.end()) {
    deps_.sip.respond(gateway::responseTo(m, 481));
    return;
  }
  Watcher& w = it->second;
  if (!w.dialog.acceptsRequest(m)) {
    deps_.sip.respond(gateway::responseTo(m, 500));
    return;
  }
  auto decision = w.subscription.onSubscribe(check.requestedExpires, deps_.clock.now());
  if (!decision) {
    deps_.sip.respond(gateway::responseTo(m, 481));
    eraseWatcher(key);
    return;
  }
  deps_.sip.respond(gateway::acceptInboundSubscribe(m, toTag, w.dialog.localContact(), decision->granted));
  // RFC 6665 §4.2.1.2: every accepted SUBSCRIBE, refresh or un-SUBSCRIBE, gets a NOTIFY.
  notifyWatcher(key, w);
  if (w.subscription.state() == sip::SubscriptionState::Terminated) {
    eraseWatcher(key);
  } else {
    saveWatcher(key, w);
  }
}

asio::awaitable<void> SipGateway::admitWatcher(sip::IncomingRequest request, std::string toTag,
                                                gateway::InboundSubscribeCheck check) {
  const sip::Message& m = request.message;
  auto parties = gateway::partiesOf(m);
  if (!parties) {
    deps_.sip.respond(gateway::sipRefusalFor(m, parties.error(), toTag));
    co_return;
  }
  if (!deps_.im.isLocalDomain(parties->target.domain())) {
    deps_.sip.respond(gateway::responseTo(m, 404, toTag));
    co_return;
  }
  const auto view = co_await deps_.im.watcherView(parties->target.bareStr(), parties->sender.bareStr());
  if (view.standing == im::Service::WatcherView::Standing::kNoSuchUser) {
    deps_.sip.respond(gateway::responseTo(m, 404, toTag));
    co_return;
  }
  auto dialog = sip::Dialog::asUas(m, toTag, contactFor(parties->sender.domain()),
                                   sip::Dialog::State::Confirmed, request.peer.tls);
  if (!dialog) {
    deps_.sip.respond(gateway::responseTo(m, 400, toTag));
    co_return;
  }
  Watcher w(parties->target, parties->sender, std::move(*dialog), options_.expiry);
  w.event = check.event;
  auto decision = w.subscription.onSubscribe(check.requestedExpires, deps_.clock.now());
  if (!decision) {
    deps_.sip.respond(gateway::responseTo(m, 500, toTag));
    co_return;
  }
  using Standing = im::Service::WatcherView::Standing;
  if (view.standing == Standing::kAuthorized) {
    w.sight = Sight::kAuthorized;
    for (const xml::Element& p : view.presence) {
      if (p.attr("type").empty()) w.presence.emplace(std::string(p.attr("from")), p);
    }
  } else if (view.standing == Standing::kWithheld) {
    w.sight = Sight::kWithheld;
  }
  if (w.sight != Sight::kPending && w.subscription.state() == sip::SubscriptionState::Pending) {
    w.subscription.activate();
  }
  deps_.sip.respond(gateway::acceptInboundSubscribe(m, toTag, w.dialog.localContact(), decision->granted));

  const std::string key = dialogKey(w.dialog.id().callId, toTag);
  const bool ask = w.sight == Sight::kPending && check.kind == gateway::InboundSubscribeKind::initial;
  auto [it, inserted] = watchers_.emplace(key, std::move(w));
  if (!inserted) co_return;  // a retransmission raced us; the first one is served
  watcherIndex_[{it->second.user.bareStr(), it->second.watcher.bareStr()}].insert(key);
  notifyWatcher(key, it->second);
  if (it->second.subscription.state() == sip::SubscriptionState::Terminated) {
    eraseWatcher(key);  // a fetch: answered, over
    co_return;
  }
  saveWatcher(key, it->second);
  if (ask) {
    auto stanza = gateway::xmppStanzaForInboundSubscribe(m, check.kind);
    if (stanza && *stanza) toXmpp({std::move(**stanza)});
  }
}

void SipGateway::watcherPresence(const xml::Element& presence) {
  auto from = xmpp::Jid::parse(presence.attr("from"));
  auto to = xmpp::Jid::parse(presence.attr("to"));
  if (!from || !to) return;
  const bool available = presence.attr("type").empty();
  for (const std::string& key : watcherKeys(from->bare(), to->bare())) {
    Watcher& w = watchers_.at(key);
    if (available) {
      w.presence.insert_or_assign(from->str(), presence);
    } else if (from->isBare()) {
      w.presence.clear();
    } else {
      w.presence.erase(from->str());
    }
    if (w.sight == Sight::kAuthorized) w.dirty = true;
  }
  flushWatchers();
}

void SipGateway::watcherAnswer(const xml::Element& answer) {
  auto from = xmpp::Jid::parse(answer.attr("from"));
  auto to = xmpp::Jid::parse(answer.attr("to"));
  if (!from || !to) return;
  const bool approved = answer.attr("type") == "subscribed";
  for (const std::string& key : watcherKeys(from->bare(), to->bare())) {
    Watcher& w = watchers_.at(key);
    if (!approved) {
      withhold(w);
      saveWatcher(key, w);
      continue;
    }
    w.sight = Sight::kAuthorized;
    if (w.subscription.state() == sip::SubscriptionState::Pending) w.subscription.activate();
    w.dirty = true;
    saveWatcher(key, w);
  }
  flushWatchers();
}

void SipGateway::withhold(Watcher& w) {
  w.sight = Sight::kWithheld;
  if (w.subscription.state() == sip::SubscriptionState::Pending) w.subscription.activate();
  w.dirty = true;
}

void SipGateway::notifyWatcher(const std::string& key, Watcher& w) {
  w.dirty = false;
  std::string pidf;
  if (w.sight == Sight::kWithheld) {
    if (auto doc = gateway::politeBlockPidf(w.user)) pidf = std::move(*doc);
  } else if (w.sight == Sight::kAuthorized) {
    const xml::Element* best = mostAvailable(w.presence);
    const xml::Element offline = gateway::makeStanza("presence", w.user, w.watcher, "unavailable");
    if (auto doc = gateway::pidfForPresence(best ? *best : offline, w.user, peerOf(w.watcher.domain()).system)) {
      pidf = std::move(*doc);
    }
  }
  sip::Message notify = gateway::buildPresenceNotify(w.dialog, w.subscription, deps_.clock.now(), pidf, w.event);
  sendRequest(std::move(notify), w.watcher.domain(), [this, key](const sip::ClientOutcome& outcome) {
    // The watcher's side no longer knows the subscription (481), or cannot be reached at all:
    // RFC 6665 §4.2.2 ends it here too, so we stop notifying into the void.
    const bool gone = outcome.kind == sip::ClientOutcome::Kind::kTimeout ||
                      (outcome.response && outcome.final && outcome.response->status() == 481);
    if (gone) eraseWatcher(key);
  });
}

void SipGateway::flushWatchers() {
  if (flushArmed_) return;
  flushArmed_ = true;
  flushTimer_->expires_after(std::chrono::milliseconds(40));
  flushTimer_->async_wait([this](const boost::system::error_code& ec) {
    flushArmed_ = false;
    if (ec || stopping_) return;
    for (auto& [key, w] : watchers_) {
      if (w.dirty) notifyWatcher(key, w);
    }
  });
}

std::vector<std::string> SipGateway::watcherKeys(const xmpp::Jid& user, const xmpp::Jid& watcher) const {
  auto it = watcherIndex_.find({user.bareStr(), watcher.bareStr()});
  if (it == watcherIndex_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

void SipGateway::eraseWatcher(const std::string& key) {
  auto it = watchers_.find(key);
  if (it == watchers_.end()) return;
  const std::pair<std::string, std::string> pair{it->second.user.bareStr(), it->second.watcher.bareStr()};
  watchers_.erase(it);
  deps_.worker.post([&store = deps_.store, key] { (void)store.sipWatchers().remove(key); });
  if (auto index = watcherIndex_.find(pair); index != watcherIndex_.end()) {
    index->second.erase(key);
    if (index->second.empty()) watcherIndex_.erase(index);
  }
}

std::string_view SipGateway::sightName(Sight sight) {
  switch (sight) {
    case Sight::kAuthorized: return "authorized";
    case Sight::kWithheld: return "withheld";
    case Sight::kPending: break;
  }
  return "pending";
}

void SipGateway::saveWatcher(const std::string& key, const Watcher& w) {
  const TimePoint now = deps_.clock.now();
  const TimePoint until = w.subscription.nextDeadline().value_or(now);
  WatcherRecord record{w.dialog.snapshot(), w.event, std::string(sightName(w.sight)),
                       std::chrono::time_point_cast<std::chrono::system_clock::duration>(
                           deps_.clock.wallNow() + (until - now))};
  storage::SipWatcher row{key, w.user.bareStr(), w.watcher.bareStr(), writeWatcherRecord(record)};
  deps_.worker.post([&store = deps_.store, row = std::move(row)] {
    if (auto put = store.sipWatchers().put(row); !put) {
      logger("sip")->warn("storing the SIP watcher {} of {}: {}", row.watcher, row.user, put.error().message);
    }
  });
}

// NOTIFYs sent after a watcher was last stored are not counted there; the resumed dialog
// numbers its requests past any such run.
constexpr std::uint32_t kResumedSeqSkip = 100000;

asio::awaitable<void> SipGateway::restoreWatchers() {
  auto rows = co_await deps_.worker.run([&store = deps_.store] { return store.sipWatchers().all(); });
  const auto wallNow = deps_.clock.wallNow();
  std::size_t resumed = 0;
  for (const storage::SipWatcher& row : rows) {
    auto record = readWatcherRecord(row.state);
    auto user = xmpp::Jid::parse(row.user);
    auto watcher = xmpp::Jid::parse(row.watcher);
    const auto left = record ? std::chrono::duration_cast<std::chrono::seconds>(record->expires - wallNow)
                             : std::chrono::seconds(0);
    if (!record || !user || !watcher || !handles(watcher->domain()) || left <= std::chrono::seconds(0)) {
      deps_.worker.post([&store = deps_.store, key = row.key] { (void)store.sipWatchers().remove(key); });
      continue;
    }
    Watcher w(*user, *watcher, sip::Dialog::restore(record->dialog, kResumedSeqSkip), options_.expiry);
    w.event = record->event;
    auto granted = w.subscription.onSubscribe(static_cast<std::uint32_t>(left.count()), deps_.clock.now());
    if (!granted || granted->tooBrief) continue;  // about to run out: the watcher refreshes anyway
    for (Sight sight : {Sight::kAuthorized, Sight::kWithheld}) {
      if (record->sight == sightName(sight)) w.sight = sight;
    }
    if (w.sight != Sight::kPending) w.subscription.activate();
    auto [it, inserted] = watchers_.emplace(row.key, std::move(w));
    if (!inserted) continue;
    watcherIndex_[{row.user, row.watcher}].insert(row.key);
    // The user's real state right now (offline until they sign in again), so the watcher is not
    // left with what it saw before the restart.
    notifyWatcher(row.key, it->second);
    saveWatcher(row.key, it->second);
    ++resumed;
  }
  if (resumed > 0) logger("sip")->info("resumed {} SIP watcher subscriptions", resumed);
}

void SipGateway::tickWatchers(TimePoint now) {
  std::vector<std::string> expired;
  for (auto& [key, w] : watchers_) {
    if (w.subscription.onTimer(now)) expired.push_back(key);
  }
  for (const std::string& key : expired) {
    notifyWatcher(key, watchers_.at(key));  // terminated;reason=timeout
    eraseWatcher(key);
  }
}

}  // namespace impd::sip_gateway
