// Presence subscriptions (RFC 6121 §3): the roster row side of subscription.h's tables.
// Each stanza is one read-modify-write of one row inside a single worker call, so two
// stanzas about the same pair can never interleave; the side effects (pushes, routing,
// presence) follow from what that call reports.
#include <algorithm>
#include <optional>

#include "base/log.h"
#include "im/internal.h"
#include "im/subscription.h"

namespace impd::im {

namespace {

using storage::RosterItem;

bool stateHasFrom(SubState s) {
  return s == SubState::kFrom || s == SubState::kFromPO || s == SubState::kBoth;
}

// A row that says nothing any more: no subscription, nothing pending, not shown.
bool disposable(const RosterItem& i) {
  return i.subscription == storage::Subscription::kNone && !i.askOut && !i.pendingIn &&
         !i.approved && !i.inRoster;
}

bool visibleDiffers(const RosterItem& a, const RosterItem& b) {
  return a.subscription != b.subscription || a.askOut != b.askOut || a.approved != b.approved ||
         a.inRoster != b.inRoster;
}

bool differs(const RosterItem& a, const RosterItem& b) {
  return visibleDiffers(a, b) || a.pendingIn != b.pendingIn ||
         a.pendingInStanza != b.pendingInStanza;
}

struct Transition {
  std::optional<RosterItem> before;
  RosterItem after;
  bool route = false;  // outbound: forward the stanza to the contact
  InboundAction action = InboundAction::kDrop;
  bool autoApproved = false;             // inbound subscribe answered from a pre-approval
  std::optional<std::uint64_t> version;  // set when the row was written
  bool failed = false;

  bool gainedFrom() const { return !(before && hasFrom(*before)) && hasFrom(after); }
  bool lostFrom() const { return before && hasFrom(*before) && !hasFrom(after); }
};

Transition start(std::optional<RosterItem> existing, const std::string& contact) {
  Transition t;
  if (existing) {
    t.after = *existing;
  } else {
    // A row that starts as nothing: not shown until something makes it a roster item.
    t.after.contact = contact;
    t.after.inRoster = false;
  }
  t.before = std::move(existing);
  return t;
}

void endPendingIn(Transition& t) {
  if (t.before && t.before->pendingIn && !t.after.pendingIn) t.after.pendingInStanza.clear();
}

Transition outboundTransition(std::optional<RosterItem> existing, const std::string& contact,
                              SubType type) {
  Transition t = start(std::move(existing), contact);
  RosterItem& item = t.after;
  const SubState s = stateOf(item);
  const OutboundStep step = onOutbound(s, type);
  t.route = step.route;
  if (type == SubType::kSubscribe) {
    item.inRoster = true;
  } else if (type == SubType::kSubscribed) {
    if (step.route) {
      item.inRoster = true;  // approving a request that was only pending adds the contact
      item.approved = false;
    } else if (!stateHasFrom(s)) {
      // RFC 6121 §3.4: no request to approve yet (None, None+PO, To): pre-approve.
      item.approved = true;
      item.inRoster = true;
    }
  } else if (type == SubType::kUnsubscribed) {
    item.approved = false;  // also cancels a pre-approval
  }
  applyState(item, step.next);
  endPendingIn(t);
  return t;
}

// `approveNow`: the user's policy approves this watcher without asking (an allow entry or an
// "allow" default for federated watchers); it works like a pre-approval.
Transition inboundTransition(std::optional<RosterItem> existing, const std::string& contact,
                             SubType type, const std::string& serialized, bool approveNow) {
  Transition t = start(std::move(existing), contact);
  RosterItem& item = t.after;
  const SubState s = stateOf(item);
  const bool approved = (item.approved && !item.pendingIn) || approveNow;
  if (type == SubType::kSubscribe && approved && !stateHasFrom(s)) {
    // Pre-approved: as if the request arrived and the user answered 'subscribed' at once.
    applyState(item, onOutbound(onInbound(s, type).next, SubType::kSubscribed).next);
    item.approved = false;
    t.action = InboundAction::kReplySubscribed;
    t.autoApproved = true;
  } else {
    const InboundStep step = onInbound(s, type);
    t.action = step.action;
    if (step.action == InboundAction::kDeliver) {
      applyState(item, step.next);
      if (type == SubType::kSubscribe) item.pendingInStanza = serialized;
    }
  }
  endPendingIn(t);
  return t;
}

void commit(storage::RosterStore& roster, const std::string& user, Transition& t) {
  Result<std::uint64_t> written = std::uint64_t{0};
  if (disposable(t.after)) {
    if (!t.before) return;
    written = roster.remove(user, t.after.contact);
  } else if (!t.before || differs(*t.before, t.after)) {
    written = roster.put(user, t.after);
  } else {
    return;
  }
  if (written) {
    t.version = *written;
  } else {
    t.failed = true;
  }
}

void pushIfVisible(Env& env, const std::string& user, const Transition& t) {
  if (!t.version) return;
  const bool wasShown = t.before && t.before->inRoster;
  const bool isShown = !disposable(t.after) && t.after.inRoster;
  if (!wasShown && !isShown) return;
  if (wasShown && isShown && !visibleDiffers(*t.before, t.after)) return;
  pushRosterItem(env, user, isShown ? rosterItemXml(t.after) : rosterRemovedXml(t.after.contact),
                 *t.version);
}

// The seed's subscription authorization for federated watchers: a user's answer to a pending
// request is remembered in their policy. A denial becomes a presence-only block and is not
// told to the watcher (polite blocking: it keeps seeing the user offline and is not asked
// again); an approval lifts such a block. Returns whether the answer must stay unsent.
Awaitable<bool> recordDecision(Env& env, const std::string& user, const std::string& contact,
                               const Transition& t, SubType type) {
  const bool answeredRequest = t.before && t.before->pendingIn;
  if (type == SubType::kUnsubscribed && answeredRequest) {
    PolicyChange c = co_await changePolicy(env, user, [&](storage::PrivacyStore& privacy) {
      return privacy.putEntries(
          user, {{contact, storage::PolicyAction::kBlock, storage::PolicyScope::kPresence}});
    });
    co_return c.result.ok();
  }
  if (type == SubType::kSubscribed) {
    Policy policy = co_await policyOf(env, user);
    const storage::PolicyEntry politeBlock{contact, storage::PolicyAction::kBlock,
                                           storage::PolicyScope::kPresence};
    const auto& entries = policy->stored.entries;
    if (std::find(entries.begin(), entries.end(), politeBlock) != entries.end()) {
      co_await changePolicy(env, user, [&](storage::PrivacyStore& privacy) {
        storage::PrivacyPolicy updated = privacy.policy(user);
        std::erase(updated.entries, politeBlock);
        return privacy.setPolicy(user, updated);
      });
    }
  }
  co_return false;
}

}  // namespace

bool hasFrom(const RosterItem& item) {
  return item.subscription == storage::Subscription::kFrom ||
         item.subscription == storage::Subscription::kBoth;
}

bool hasTo(const RosterItem& item) {
  return item.subscription == storage::Subscription::kTo ||
         item.subscription == storage::Subscription::kBoth;
}

Awaitable<void> outboundSubscription(Env& env, Envelope& e) {
  const SubType type = *parseSubType(e.type());
  const std::string user = e.from.bareStr();
  const std::string contact = e.to.bareStr();
  if (contact == user) co_return;
  Transition t = co_await env.ctx.worker.run([&] {
    auto& roster = env.ctx.store.roster();
    Transition out = outboundTransition(roster.item(user, contact), contact, type);
    commit(roster, user, out);
    return out;
  });
  if (t.failed) {
    logger("im")->warn("roster write for {} -> {} failed", user, contact);
    co_return;
  }
  pushIfVisible(env, user, t);
  if (!env.isLocalDomain(e.to.domain()) && co_await recordDecision(env, user, contact, t, type)) {
    t.route = false;
    if (env.ctx.remote != nullptr) env.ctx.remote->presenceWithheld(user, contact);
  }
  if (t.route) {
    // RFC 6121 §3.1.2: subscription stanzas travel between bare JIDs.
    xml::Element out = e.stanza;
    out.setAttr("from", user);
    out.setAttr("to", contact);
    co_await env.send(std::move(out));
  }
  if (t.gainedFrom()) co_await sendPresenceTo(env, user, contact);
  if (t.lostFrom()) co_await sendUnavailableTo(env, user, contact);
}

Awaitable<void> inboundSubscription(Env& env, Envelope& e) {
  const SubType type = *parseSubType(e.type());
  const std::string user = e.to.bareStr();
  const std::string contact = e.from.bareStr();
  if (contact == user) co_return;
  xml::Element stanza = e.stanza;
  stanza.setAttr("from", contact);
  stanza.setAttr("to", user);
  // Kept so the request can be shown again at each login until it is answered.
  const std::string serialized = type == SubType::kSubscribe ? xml::serialize(stanza) : "";
  bool approveNow = false;
  if (type == SubType::kSubscribe && !env.isLocalDomain(e.from.domain())) {
    Policy policy = co_await policyOf(env, user);
    const storage::WatcherDefault decision = authorizeFederatedWatcher(*policy, contact);
    // Blocked by default: the request vanishes as a polite block would make it (the watcher
    // sees the user offline; the user is not asked).
    if (decision == storage::WatcherDefault::kBlock) co_return;
    approveNow = decision == storage::WatcherDefault::kAllow;
  }
  Transition t = co_await env.ctx.worker.run([&] {
    auto& roster = env.ctx.store.roster();
    Transition out =
        inboundTransition(roster.item(user, contact), contact, type, serialized, approveNow);
    commit(roster, user, out);
    return out;
  });
  if (t.failed) {
    logger("im")->warn("roster write for {} <- {} failed", user, contact);
    co_return;
  }
  pushIfVisible(env, user, t);
  if (t.action == InboundAction::kDeliver) {
    for (const SessionPtr& s : env.availableResources(user)) s->deliver(stanza);
  } else if (t.action == InboundAction::kReplySubscribed) {
    co_await env.send(makeStanza("presence", user, contact, "subscribed"));
    if (t.autoApproved) co_await sendPresenceTo(env, user, contact);
  }
  // RFC 6121 §3.3.3: the contact cancelled its subscription; it sees the user go offline.
  if (t.lostFrom()) co_await sendUnavailableTo(env, user, contact);
}

}  // namespace impd::im
