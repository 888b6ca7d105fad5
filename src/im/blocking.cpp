// XEP-0191 blocking: the cached blocklist, matching, and the blocklist IQs with their side
// effects (pushes, polite unavailable, presence again after unblocking).
#include <algorithm>
#include <optional>

#include "base/log.h"
#include "codec/xmpp/namespaces.h"
#include "im/internal.h"

namespace impd::im {

namespace {

bool contains(const std::vector<std::string>& sorted, const std::string& s) {
  return std::binary_search(sorted.begin(), sorted.end(), s);
}

Blocklist loadBlocklist(Env& env, const std::string& user) {
  std::vector<std::string> list = env.ctx.store.privacy().blocklist(user);
  // Matching relies on binary search; do not trust a backend's collation for the order.
  std::sort(list.begin(), list.end());
  return std::make_shared<const std::vector<std::string>>(std::move(list));
}

// The prepared JIDs of a <block/> or <unblock/>; nullopt when one is malformed.
std::optional<std::vector<std::string>> itemJids(const xml::Element& payload) {
  std::vector<std::string> jids;
  for (const xml::Element* item : payload.children("item", xmpp::ns::kBlocking)) {
    auto jid = xmpp::Jid::parse(item->attr("jid"));
    if (!jid) return std::nullopt;
    jids.push_back(jid->str());
  }
  std::sort(jids.begin(), jids.end());
  jids.erase(std::unique(jids.begin(), jids.end()), jids.end());
  return jids;
}

xml::Element listElement(std::string_view name, const std::vector<std::string>& jids) {
  xml::Element list{std::string(name), std::string(xmpp::ns::kBlocking)};
  for (const auto& jid : jids)
    list.addChild("item", std::string(xmpp::ns::kBlocking)).setAttr("jid", jid);
  return list;
}

// XEP-0191 §3.3/§3.4: every resource of the user learns about the change.
void pushChange(Env& env, const std::string& user, const xml::Element& change) {
  for (const SessionPtr& s : env.resources(user)) {
    xml::Element push = makeStanza("iq", {}, s->jid().str(), "set");
    push.setAttr("id", env.newId());
    push.addChild(change);
    s->deliver(std::move(push));
  }
}

struct Change {
  std::optional<Error> error;
  Blocklist before, after;
  std::vector<storage::RosterItem> roster;
};

// Block or unblock inside one worker call: the store change, the new list into the cache (in
// store order, see Env::blocklists), and the roster the presence side effects need.
Awaitable<Change> applyChange(Env& env, const std::string& user, bool block,
                              const std::vector<std::string>& jids) {
  co_return co_await env.ctx.worker.run([&] {
    Change c;
    c.before = loadBlocklist(env, user);
    auto& privacy = env.ctx.store.privacy();
    Result<void> r = block
                         ? privacy.block(user, jids)
                         : (jids.empty() ? privacy.unblockAll(user) : privacy.unblock(user, jids));
    if (!r) c.error = r.error();
    c.after = loadBlocklist(env, user);
    env.blocklists.put(user, c.after);
    c.roster = env.ctx.store.roster().items(user);
    return c;
  });
}

Awaitable<void> block(Env& env, Envelope& e, const std::vector<std::string>& jids) {
  const std::string user = e.from.bareStr();
  Change c = co_await applyChange(env, user, true, jids);
  if (c.error) {
    logger("im")->warn("block for {} failed: {}", user, c.error->message);
    co_await env.answerError(e, "internal-server-error");
    co_return;
  }
  pushChange(env, user, listElement("block", jids));
  co_await env.answer(e, xmpp::makeIqResult(e.stanza));

  // Polite blocking: the blocked entity sees the user go offline, nothing more.
  std::vector<std::string> targets;
  for (const auto& jid : jids) {
    auto parsed = xmpp::Jid::parse(jid);
    if (parsed && !parsed->local().empty()) targets.push_back(jid);
  }
  for (const auto& item : c.roster) {
    if (hasFrom(item) && isBlockedContact(jids, item.contact)) targets.push_back(item.contact);
  }
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  for (const auto& target : targets) co_await sendUnavailableTo(env, user, target);
}

Awaitable<void> unblock(Env& env, Envelope& e, const std::vector<std::string>& jids) {
  const std::string user = e.from.bareStr();
  Change c = co_await applyChange(env, user, false, jids);
  if (c.error) {
    logger("im")->warn("unblock for {} failed: {}", user, c.error->message);
    co_await env.answerError(e, "internal-server-error");
    co_return;
  }
  pushChange(env, user, listElement("unblock", jids));
  co_await env.answer(e, xmpp::makeIqResult(e.stanza));

  // Contacts entitled to the user's presence that can now see it get it again.
  for (const auto& item : c.roster) {
    if (hasFrom(item) && isBlockedContact(*c.before, item.contact) &&
        !isBlockedContact(*c.after, item.contact)) {
      co_await sendPresenceTo(env, user, item.contact);
    }
  }
}

}  // namespace

bool isBlocked(const std::vector<std::string>& list, const xmpp::Jid& jid) {
  if (list.empty() || jid.empty()) return false;
  if (contains(list, jid.str())) return true;
  if (!jid.resource().empty()) {
    if (contains(list, jid.bareStr())) return true;
    if (!jid.local().empty() && contains(list, jid.domain() + "/" + jid.resource())) return true;
  }
  return !jid.local().empty() && contains(list, jid.domain());
}

bool isBlockedContact(const std::vector<std::string>& list, const std::string& bareContact) {
  if (list.empty()) return false;
  if (contains(list, bareContact)) return true;
  const auto at = bareContact.find('@');
  return at != std::string::npos && contains(list, bareContact.substr(at + 1));
}

Awaitable<Blocklist> blocklistOf(Env& env, const std::string& user) {
  if (auto cached = env.blocklists.find(user)) co_return *cached;
  co_return co_await env.ctx.worker.run(
      [&] { return env.blocklists.putIfAbsent(user, loadBlocklist(env, user)); });
}

Awaitable<void> handleBlockingIq(Env& env, Envelope& e) {
  const xml::Element& payload = *e.stanza.childElements().front();
  const bool get = e.type() == "get";
  if (payload.name() == "blocklist" && get) {
    Blocklist list = co_await blocklistOf(env, e.from.bareStr());
    xml::Element reply = xmpp::makeIqResult(e.stanza);
    reply.addChild(listElement("blocklist", *list));
    co_await env.answer(e, std::move(reply));
    co_return;
  }
  if (get || (payload.name() != "block" && payload.name() != "unblock")) {
    co_await env.answerError(e, "bad-request");
    co_return;
  }
  auto jids = itemJids(payload);
  if (!jids) {
    co_await env.answerError(e, "jid-malformed");
  } else if (payload.name() == "block") {
    if (jids->empty()) {
      co_await env.answerError(e, "bad-request");
    } else {
      co_await block(env, e, *jids);
    }
  } else {
    co_await unblock(env, e, *jids);
  }
}

}  // namespace impd::im
