// XEP-0016 privacy lists, as a second view of the user's one policy list (the blocking command
// is the first, the admin API the third). The user has exactly one list; it is always both the
// active and the default list, and its name is whatever the user's client last called it.
//
// What a list item can say is what the policy can hold: `jid` items that allow or deny
// everything, or deny only presence (`<presence-out/>`, optionally with `<presence-in/>`:
// polite blocking). Items are reduced to one per JID, the lowest order winning, and the most
// specific matching JID decides, which is how lists are written in practice. Subscription and
// group items, and other stanza-kind subsets, are refused with feature-not-implemented rather
// than stored and then ignored.
#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "codec/xmpp/namespaces.h"
#include "im/internal.h"

namespace impd::im {

namespace {

using storage::PolicyAction;
using storage::PolicyEntry;
using storage::PolicyScope;

struct Refusal {
  std::string_view condition;
  std::string_view text;
};

xml::Element query() { return {"query", std::string(xmpp::ns::kPrivacy)}; }

xml::Element listXml(const storage::PrivacyPolicy& policy) {
  xml::Element list{"list", std::string(xmpp::ns::kPrivacy)};
  list.setAttr("name", policy.listName);
  // Blocks first, so a client that evaluates the list in order sees the same outcome as the
  // most-specific rule for the lists this server accepts.
  std::vector<const PolicyEntry*> ordered;
  for (const auto& e : policy.entries) ordered.push_back(&e);
  std::stable_partition(ordered.begin(), ordered.end(),
                        [](const PolicyEntry* e) { return e->action == PolicyAction::kBlock; });
  unsigned order = 1;
  for (const PolicyEntry* e : ordered) {
    xml::Element& item = list.addChild("item", std::string(xmpp::ns::kPrivacy));
    item.setAttr("type", "jid");
    item.setAttr("value", e->jid);
    item.setAttr("action", e->action == PolicyAction::kAllow ? "allow" : "deny");
    item.setAttr("order", std::to_string(order++));
    if (e->scope == PolicyScope::kPresence) {
      item.addChild("presence-in", std::string(xmpp::ns::kPrivacy));
      item.addChild("presence-out", std::string(xmpp::ns::kPrivacy));
    }
  }
  return list;
}

std::optional<unsigned> parseOrder(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// The scope an item's stanza-kind children select; nullopt for a subset the policy cannot hold.
std::optional<PolicyScope> scopeOf(const xml::Element& item, PolicyAction action) {
  bool in = false, out = false, other = false;
  for (const xml::Element* kind : item.children()) {
    if (kind->name() == "presence-in") {
      in = true;
    } else if (kind->name() == "presence-out") {
      out = true;
    } else {
      other = true;
    }
  }
  if (!in && !out && !other) return PolicyScope::kAll;
  if (out && !other && action == PolicyAction::kBlock) return PolicyScope::kPresence;
  return std::nullopt;
}

// The items of a <list/> as policy entries, or why they cannot be stored.
std::variant<std::vector<PolicyEntry>, Refusal> entriesOf(const xml::Element& list) {
  std::map<unsigned, PolicyEntry> byOrder;
  for (const xml::Element* item : list.children("item", xmpp::ns::kPrivacy)) {
    auto order = parseOrder(item->attr("order"));
    const std::string_view actionText = item->attr("action");
    if (!order || (actionText != "allow" && actionText != "deny")) {
      return Refusal{"bad-request", "each item needs an order and allow or deny"};
    }
    const PolicyAction action = actionText == "allow" ? PolicyAction::kAllow : PolicyAction::kBlock;
    const std::string_view type = item->attr("type");
    if (type.empty()) {
      // A fall-through "allow" says what happens anyway; a fall-through "deny" would cut the
      // user off from everyone, which the policy does not express.
      if (action == PolicyAction::kAllow && item->children().empty()) continue;
      return Refusal{"feature-not-implemented", "only jid items can be stored"};
    }
    if (type != "jid") return Refusal{"feature-not-implemented", "only jid items can be stored"};
    auto jid = xmpp::Jid::parse(item->attr("value"));
    if (!jid) return Refusal{"bad-request", "an item's value is not a JID"};
    auto scope = scopeOf(*item, action);
    if (!scope) {
      return Refusal{"feature-not-implemented",
                     "items may restrict only outbound presence, and only when denying"};
    }
    if (!byOrder.emplace(*order, PolicyEntry{jid->str(), action, *scope}).second) {
      return Refusal{"bad-request", "two items have the same order"};
    }
  }
  std::vector<PolicyEntry> entries;
  for (auto& [order, entry] : byOrder) {
    const bool seen = std::any_of(entries.begin(), entries.end(),
                                  [&](const PolicyEntry& e) { return e.jid == entry.jid; });
    if (!seen) entries.push_back(std::move(entry));
  }
  return entries;
}

Awaitable<void> get(Env& env, Envelope& e, const xml::Element& payload) {
  Policy policy = co_await policyOf(env, e.from.bareStr());
  const auto& stored = policy->stored;
  const auto lists = payload.children("list", xmpp::ns::kPrivacy);
  xml::Element reply = xmpp::makeIqResult(e.stanza);
  xml::Element& answer = reply.addChild(query());
  if (lists.empty()) {
    if (!stored.entries.empty()) {
      for (const char* name : {"active", "default", "list"}) {
        answer.addChild(name, std::string(xmpp::ns::kPrivacy)).setAttr("name", stored.listName);
      }
    }
  } else if (lists.size() > 1) {
    co_await env.answerError(e, "bad-request");
    co_return;
  } else if (stored.entries.empty() || lists.front()->attr("name") != stored.listName) {
    co_await env.answerError(e, "item-not-found");
    co_return;
  } else {
    answer.addChild(listXml(stored));
  }
  co_await env.answer(e, std::move(reply));
}

Awaitable<void> setList(Env& env, Envelope& e, const xml::Element& list) {
  const std::string user = e.from.bareStr();
  const std::string name(list.attr("name"));
  if (name.empty()) {
    co_await env.answerError(e, "bad-request");
    co_return;
  }
  auto parsed = entriesOf(list);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) {
    co_await env.answer(e, xmpp::makeErrorReply(e.stanza, refusal->condition, refusal->text));
    co_return;
  }
  // A list without items removes it (§2.7): here, the policy's entries.
  auto entries = std::get<std::vector<PolicyEntry>>(std::move(parsed));
  PolicyChange c = co_await changePolicy(env, user, [&](storage::PrivacyStore& privacy) {
    storage::PrivacyPolicy updated = privacy.policy(user);
    updated.entries = entries;
    updated.listName = name;
    return privacy.setPolicy(user, updated);
  });
  if (!c.result) {
    co_await env.answerError(e, "internal-server-error");
    co_return;
  }
  co_await env.answer(e, xmpp::makeIqResult(e.stanza));
  pushPrivacyListChange(env, user, name);
  pushBlocklistChange(env, user, *c.before, *c.after);
  co_await presenceFollowsPolicy(env, user, c);
}

// Choosing the active or default list: only the one list exists, and it always applies.
Awaitable<void> choose(Env& env, Envelope& e, const xml::Element& choice) {
  Policy policy = co_await policyOf(env, e.from.bareStr());
  const std::string_view name = choice.attr("name");
  if (name.empty()) {
    co_await env.answer(e, xmpp::makeErrorReply(e.stanza, "not-allowed",
                                                "the policy list always applies"));
  } else if (name != policy->stored.listName || policy->stored.entries.empty()) {
    co_await env.answerError(e, "item-not-found");
  } else {
    co_await env.answer(e, xmpp::makeIqResult(e.stanza));
  }
}

}  // namespace

// XEP-0016 §2.6: every resource learns that the list changed and may fetch it.
void pushPrivacyListChange(Env& env, const std::string& user, const std::string& listName) {
  for (const SessionPtr& s : env.resources(user)) {
    xml::Element push = makeStanza("iq", {}, s->jid().str(), "set");
    push.setAttr("id", env.newId());
    push.addChild(query()).addChild("list", std::string(xmpp::ns::kPrivacy)).setAttr("name", listName);
    s->deliver(std::move(push));
  }
}

Awaitable<void> handlePrivacyIq(Env& env, Envelope& e) {
  const xml::Element& payload = *e.stanza.childElements().front();
  if (e.type() == "get") {
    co_await get(env, e, payload);
    co_return;
  }
  // §2: a set carries exactly one of <active/>, <default/> or <list/>.
  const auto children = payload.children();
  if (children.size() != 1) {
    co_await env.answerError(e, "bad-request");
  } else if (children.front()->name() == "list") {
    co_await setList(env, e, *children.front());
  } else if (children.front()->name() == "active" || children.front()->name() == "default") {
    co_await choose(env, e, *children.front());
  } else {
    co_await env.answerError(e, "bad-request");
  }
}

}  // namespace impd::im
