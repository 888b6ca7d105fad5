// Presence (RFC 6121 §4): broadcasts from a client, directed presence, the end of a session,
// and presence arriving for a local user.
#include <algorithm>
#include <charconv>

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
  std::vector<storage::RosterItem> items;
  Policy policy;
};

Awaitable<RosterView> rosterView(Env& env, const std::string& user) {
  RosterView v;
  v.items = co_await env.ctx.worker.run([&] { return env.ctx.store.roster().items(user); });
  v.policy = co_await policyOf(env, user);
  co_return v;
}

// To every contact entitled to the user's presence (From/Both, not blocked), then to the
// user's own available resources, `session` included when `toSelf`.
Awaitable<void> broadcast(Env& env, const SessionPtr& session, const xml::Element& stanza,
                          const RosterView& view, bool toSelf) {
  const std::string from = session->jid().str();
  for (const auto& item : view.items) {
    if (!hasFrom(item) || withholdsPresence(*view.policy, item.contact)) continue;
    co_await env.send(addressed(stanza, from, item.contact));
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
    co_await initialPresence(env, session, view.items, *view.policy);
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
  if (session->presence().available) {
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
