// Roster management (RFC 6121 §2) with versioning (§2.6, XEP-0237 as folded into the RFC).
// The version is the store's per-user counter as a decimal string; every change bumps it.
#include <algorithm>
#include <optional>
#include <string>

#include "base/log.h"
#include "codec/xmpp/namespaces.h"
#include "im/internal.h"

namespace impd::im {

namespace {

// RFC 6121 §2.3.3 leaves the limits to the server; these keep a roster row a few kilobytes.
constexpr std::size_t kMaxNameBytes = 1024;
constexpr std::size_t kMaxGroupBytes = 1024;
constexpr std::size_t kMaxGroups = 64;

const std::string kRosterNs(xmpp::ns::kRoster);

std::string_view subscriptionName(storage::Subscription s) {
  switch (s) {
    case storage::Subscription::kNone:
      return "none";
    case storage::Subscription::kTo:
      return "to";
    case storage::Subscription::kFrom:
      return "from";
    case storage::Subscription::kBoth:
      return "both";
  }
  return "none";
}

xml::Element query(std::uint64_t version) {
  xml::Element q{"query", kRosterNs};
  q.setAttr("ver", std::to_string(version));
  return q;
}

Awaitable<void> rosterGet(Env& env, Envelope& e, const xml::Element& request) {
  if (e.session) e.session->setRosterRequested();
  const std::string user = e.from.bareStr();
  struct Snapshot {
    std::vector<storage::RosterItem> items;
    std::uint64_t version;
  };
  Snapshot snap = co_await env.ctx.worker.run([&] {
    auto& roster = env.ctx.store.roster();
    return Snapshot{roster.items(user), roster.version(user)};
  });
  xml::Element reply = xmpp::makeIqResult(e.stanza);
  // §2.6.3: an up-to-date cache gets an empty result; changes would follow as pushes.
  if (!request.hasAttr("ver") || request.attr("ver") != std::to_string(snap.version)) {
    xml::Element& q = reply.addChild(query(snap.version));
    for (const auto& item : snap.items) {
      if (item.inRoster) q.addChild(rosterItemXml(item));
    }
  }
  co_await env.answer(e, std::move(reply));
}

// RFC 6121 §2.5: removing an item also ends the subscriptions both ways.
Awaitable<void> rosterRemove(Env& env, Envelope& e, const std::string& contact) {
  const std::string user = e.from.bareStr();
  struct Removed {
    std::optional<storage::RosterItem> item;
    std::optional<std::uint64_t> version;
  };
  Removed r = co_await env.ctx.worker.run([&] {
    auto& roster = env.ctx.store.roster();
    Removed out{roster.item(user, contact), std::nullopt};
    if (!out.item || !out.item->inRoster) return Removed{};
    if (auto v = roster.remove(user, contact)) out.version = *v;
    return out;
  });
  if (!r.item) {
    co_await env.answerError(e, "item-not-found");
    co_return;
  }
  if (!r.version) {
    co_await env.answerError(e, "internal-server-error");
    co_return;
  }
  pushRosterItem(env, user, rosterRemovedXml(contact), *r.version);
  co_await env.answer(e, xmpp::makeIqResult(e.stanza));
  const storage::RosterItem& item = *r.item;
  if (hasTo(item) || item.askOut) {
    co_await env.send(makeStanza("presence", user, contact, "unsubscribe"));
  }
  if (hasFrom(item) || item.pendingIn) {
    co_await env.send(makeStanza("presence", user, contact, "unsubscribed"));
  }
  if (hasFrom(item)) co_await sendUnavailableTo(env, user, contact);
}

// Name and groups change; the subscription state is never set by a roster set (§2.1.2.5).
Awaitable<void> rosterUpdate(Env& env, Envelope& e, const xml::Element& itemEl,
                             const std::string& contact) {
  const std::string name(itemEl.attr("name"));
  std::vector<std::string> groups;
  for (const xml::Element* g : itemEl.children("group", kRosterNs)) groups.push_back(g->text());
  std::vector<std::string> sorted = groups;
  std::sort(sorted.begin(), sorted.end());
  const bool duplicate = std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
  const bool emptyGroup =
      std::any_of(groups.begin(), groups.end(), [](auto& g) { return g.empty(); });
  if (duplicate || emptyGroup) {
    co_await env.answerError(e, "bad-request");
    co_return;
  }
  const bool tooLong =
      std::any_of(groups.begin(), groups.end(), [](auto& g) { return g.size() > kMaxGroupBytes; });
  if (name.size() > kMaxNameBytes || tooLong || groups.size() > kMaxGroups) {
    co_await env.answerError(e, "not-acceptable");
    co_return;
  }

  const std::string user = e.from.bareStr();
  struct Updated {
    storage::RosterItem item;
    std::optional<std::uint64_t> version;
  };
  Updated u = co_await env.ctx.worker.run([&] {
    auto& roster = env.ctx.store.roster();
    Updated out{roster.item(user, contact).value_or(storage::RosterItem{}), std::nullopt};
    out.item.contact = contact;
    out.item.name = name;
    out.item.groups = groups;
    out.item.inRoster = true;
    if (auto v = roster.put(user, out.item)) out.version = *v;
    return out;
  });
  if (!u.version) {
    co_await env.answerError(e, "internal-server-error");
    co_return;
  }
  pushRosterItem(env, user, rosterItemXml(u.item), *u.version);
  co_await env.answer(e, xmpp::makeIqResult(e.stanza));
}

Awaitable<void> rosterSet(Env& env, Envelope& e, const xml::Element& request) {
  auto items = request.children("item", kRosterNs);
  if (items.size() != 1 || !items.front()->hasAttr("jid")) {
    co_await env.answerError(e, "bad-request");
    co_return;
  }
  const xml::Element& item = *items.front();
  auto jid = xmpp::Jid::parse(item.attr("jid"));
  if (!jid) {
    co_await env.answerError(e, "jid-malformed");
    co_return;
  }
  // Rosters hold bare JIDs: subscriptions are between accounts, not resources.
  const std::string contact = jid->bareStr();
  if (item.attr("subscription") == "remove") {
    co_await rosterRemove(env, e, contact);
  } else {
    co_await rosterUpdate(env, e, item, contact);
  }
}

}  // namespace

xml::Element rosterItemXml(const storage::RosterItem& item) {
  xml::Element el{"item", kRosterNs};
  el.setAttr("jid", item.contact);
  if (!item.name.empty()) el.setAttr("name", item.name);
  el.setAttr("subscription", subscriptionName(item.subscription));
  if (item.askOut) el.setAttr("ask", "subscribe");
  if (item.approved) el.setAttr("approved", "true");
  for (const auto& group : item.groups) el.addChild("group", kRosterNs).addText(group);
  return el;
}

xml::Element rosterRemovedXml(const std::string& contact) {
  xml::Element el{"item", kRosterNs};
  el.setAttr("jid", contact);
  el.setAttr("subscription", "remove");
  return el;
}

void pushRosterItem(Env& env, const std::string& user, const xml::Element& item,
                    std::uint64_t version) {
  for (const SessionPtr& s : env.resources(user)) {
    // RFC 6121 §2.1.6: only interested resources (those that requested the roster).
    if (!s->rosterRequested()) continue;
    xml::Element push = makeStanza("iq", {}, s->jid().str(), "set");
    push.setAttr("id", env.newId());
    push.addChild(query(version)).addChild(item);
    s->deliver(std::move(push));
  }
}

Awaitable<void> handleRosterIq(Env& env, Envelope& e) {
  const xml::Element request = *e.stanza.childElements().front();
  if (e.type() == "get") {
    co_await rosterGet(env, e, request);
  } else {
    co_await rosterSet(env, e, request);
  }
}

}  // namespace impd::im
