// Presence (RFC 6121 §4): broadcasts from a client, directed presence, the end of a session,
// and presence arriving for a local user.
#include <algorithm>
#include <charconv>
#include <optional>

#include "im/internal.h"

namespace impd::im {

namespace {

// RFC 6121 §4.7.2.3: an integer from -128 to 127; anything unreadable counts as 0.
int priorityOf(const xml::Element& presence) {
  const std::string text = presence.childText("priority", presence.ns());
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return 0;
  return static_cast<int>(std::clamp(value, -128L, 127L));
}

xml::Element addressed(const xml::Element& stanza, std::string_view from, std::string_view to) {
  xml::Element copy = stanza;
  copy.setAttr("from", from);
  copy.setAttr("to", to);
  return copy;
}

struct RosterView {
  storage::RosterStore::Items items;
  Policy policy;
};

Awaitable<RosterView> rosterView(Env& env, const std::string& user) {
  RosterView v;
  // A roster in memory is taken here, without the round trip to the blocking worker.
  v.items = env.ctx.store.roster().cachedItems(user);
  if (!v.items) {
    v.items = co_await env.ctx.worker.run([&] { return env.ctx.store.roster().sharedItems(user); });
  }
  v.policy = co_await policyOf(env, user);
  co_return v;
}

// What the router would do with a broadcast to a contact on this server, without its
// general work: the roster names the contact already prepared; only the contact's available
// resources receive presence (RFC 6121 §4.4.3), so an account with none is skipped without
// asking whether it exists; and of the router's checks only the contact's own blocks apply
// to available and unavailable presence (XEP-0191 §3.4). The two ways a local recipient may
// see the stanza (standard or rich client) are worked out, and serialized, once for the whole
// broadcast.
class LocalFanOut {
 public:
  LocalFanOut(Env& env, const xml::Element& stanza, const xmpp::Jid& from)
      : env_(env), stanza_(stanza), from_(from), fromText_(from.str()) {}

  enum class Outcome { kDone, kNotLocal, kPolicyUnknown };

  // Without suspending, which is how nearly every contact goes: the contact's blocking
  // policy is in memory. kNotLocal: the router must take it; kPolicyUnknown: deliver() must.
  Outcome deliverNow(const std::string& contact) {
    const auto at = contact.find('@');
    if (at == std::string::npos || !env_.isLocalDomain(std::string_view(contact).substr(at + 1))) {
      return Outcome::kNotLocal;
    }
    const std::vector<SessionPtr> sessions = env_.availableResources(contact);
    if (sessions.empty()) return Outcome::kDone;
    const std::optional<Policy> policy = env_.policies.find(contact);
    if (!policy) return Outcome::kPolicyUnknown;
    deliverTo(sessions, contact, **policy);
    return Outcome::kDone;
  }

  // The same for a local contact whose policy has to be loaded first.
  Awaitable<void> deliver(const std::string& contact) {
    const Policy policy = co_await policyOf(env_, contact);
    deliverTo(env_.availableResources(contact), contact, *policy);
  }

 private:
  void deliverTo(const std::vector<SessionPtr>& sessions, const std::string& contact,
                 const PolicyView& policy) {
    if (blocksAll(policy, from_)) return;
    for (const SessionPtr& s : sessions) s->deliverPrepared(view(s->richPresence), contact);
  }

  const std::shared_ptr<const core::PreparedStanza>& view(bool rich) {
    std::shared_ptr<const core::PreparedStanza>& v = rich ? rich_ : standard_;
    if (!v) {
      v = std::make_shared<const core::PreparedStanza>(
          presenceForLocal(env_, addressed(stanza_, fromText_, {}), from_.domain(), rich));
    }
    return v;
  }

  Env& env_;
  const xml::Element& stanza_;
  const xmpp::Jid& from_;
  std::string fromText_;
  std::shared_ptr<const core::PreparedStanza> standard_, rich_;
};

// To every contact entitled to the user's presence (From/Both, not blocked), then to the
// user's own available resources, `session` included when `toSelf`.
Awaitable<void> broadcast(Env& env, const SessionPtr& session, const xml::Element& stanza,
                          const RosterView& view, bool toSelf) {
  const std::string from = session->jid().str();
  LocalFanOut local(env, stanza, session->jid());
  for (const auto& item : *view.items) {
    if (!hasFrom(item) || withholdsPresence(*view.policy, item.contact)) continue;
    switch (local.deliverNow(item.contact)) {
      case LocalFanOut::Outcome::kDone:
        break;
      case LocalFanOut::Outcome::kNotLocal:
        co_await env.send(addressed(stanza, from, item.contact));
        break;
      case LocalFanOut::Outcome::kPolicyUnknown:
        co_await local.deliver(item.contact);
        break;
    }
  }
  for (const SessionPtr& s : env.availableResources(session->jid().bareStr())) {
    if (s == session) continue;
    s->deliver(presenceForLocal(env, addressed(stanza, from, s->jid().str()),
                                session->jid().domain(), s->richPresence));
  }
  if (toSelf) session->deliver(addressed(stanza, from, from));
}

// RFC 6121 §4.6.3: whoever got directed presence learns that the resource is gone.
Awaitable<void> unavailableToDirected(Env& env, const SessionPtr& session,
                                      const xml::Element& unavailable) {
  const std::string from = session->jid().str();
  for (const std::string& target : session->takeDirected()) {
    co_await env.send(addressed(unavailable, from, target));
  }
}

}  // namespace

Awaitable<void> clientBroadcast(Env& env, Envelope& e) {
  const SessionPtr& session = e.session;
  const core::ClientSession::Presence previous = session->presence();
  xml::Element stanza = e.stanza;
  stanza.removeAttr("to");
  stanza.setAttr("from", session->jid().str());
  const bool available = e.type().empty();
  if (!available && !previous.available) {
    // Never announced, so nobody but directed-presence targets needs to hear it is gone.
    session->setPresence({false, 0, stanza});
    co_await unavailableToDirected(env, session, stanza);
    co_return;
  }
  session->setPresence({available, available ? priorityOf(stanza) : 0, stanza});
  if (available) co_await noteCapabilities(env, session, stanza);
  const RosterView view = co_await rosterView(env, session->jid().bareStr());
  co_await broadcast(env, session, stanza, view, true);
  if (!available) {
    co_await unavailableToDirected(env, session, stanza);
  } else if (!previous.available) {
    co_await initialPresence(env, session, *view.items, *view.policy);
  }
}

Awaitable<void> noteDirectedPresence(Env& env, Envelope& e) {
  if (!e.session || e.to.bare() == e.from.bare()) co_return;
  const std::string target = e.to.str();
  if (e.type() == "unavailable") {
    e.session->removeDirected(target);
    co_return;
  }
  // Contacts with a subscription get the unavailable through the broadcast anyway.
  const std::string user = e.from.bareStr();
  const std::string contact = e.to.bareStr();
  auto item =
      co_await env.ctx.worker.run([&] { return env.ctx.store.roster().item(user, contact); });
  if (!item || !hasFrom(*item)) e.session->addDirected(target);
}

Awaitable<void> endSession(Env& env, SessionPtr session) {
  const std::string from = session->jid().str();
  xml::Element unavailable = makeStanza("presence", from, {}, "unavailable");
  if (session->available()) {
    session->setPresence({false, 0, unavailable});
    const RosterView view = co_await rosterView(env, session->jid().bareStr());
    co_await broadcast(env, session, unavailable, view, false);
  }
  co_await unavailableToDirected(env, session, unavailable);
}

Awaitable<void> deliverPresence(Env& env, Envelope& e) {
  const std::string_view type = e.type();
  if (type == "probe") {
    co_await answerProbe(env, e);
    co_return;
  }
  if (!type.empty() && type != "unavailable" && type != "error") co_return;
  // RFC 6121 §4.4.3 / §8.5.2: bare JID -> every available resource; full JID -> that one.
  const std::string& fromDomain = e.from.domain();
  if (e.to.isBare()) {
    for (const SessionPtr& s : env.availableResources(e.to.str())) {
      s->deliver(presenceForLocal(env, e.stanza, fromDomain, s->richPresence));
    }
  } else if (SessionPtr s = env.ctx.registry.find(e.to)) {
    s->deliver(presenceForLocal(env, e.stanza, fromDomain, s->richPresence));
  }
}

Awaitable<void> sendPresenceTo(Env& env, const std::string& user, const std::string& target) {
  for (const SessionPtr& s : env.availableResources(user)) {
    auto last = s->presence().last;
    if (last) co_await env.send(addressed(*last, s->jid().str(), target));
  }
}

Awaitable<void> sendUnavailableTo(Env& env, const std::string& user, const std::string& target) {
  for (const SessionPtr& s : env.availableResources(user)) {
    co_await env.send(makeStanza("presence", s->jid().str(), target, "unavailable"));
  }
}

}  // namespace impd::im
