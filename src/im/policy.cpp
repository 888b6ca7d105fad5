// Each user's privacy policy on the stanza path: the cached view, address matching, the
// authorization of federated watchers, and what presence does when the policy changes.
#include <algorithm>

#include "base/log.h"
#include "im/internal.h"

namespace impd::im {

namespace {

using storage::PolicyAction;
using storage::PolicyScope;

const storage::PolicyEntry* find(const PolicyView& p, std::string_view jid) {
  const auto& entries = p.stored.entries;
  auto it = std::lower_bound(entries.begin(), entries.end(), jid,
                             [](const storage::PolicyEntry& e, std::string_view j) { return e.jid < j; });
  return it != entries.end() && it->jid == jid ? &*it : nullptr;
}

Policy loadPolicy(Env& env, const std::string& user) {
  return makePolicy(env.ctx.store.privacy().policy(user));
}

}  // namespace

const storage::PolicyEntry* decidingEntry(const PolicyView& p, const xmpp::Jid& jid) {
  if (p.stored.entries.empty() || jid.empty()) return nullptr;
  if (auto* e = find(p, jid.str())) return e;
  if (!jid.resource().empty()) {
    if (auto* e = find(p, jid.bareStr())) return e;
    if (!jid.local().empty()) {
      if (auto* e = find(p, jid.domain() + "/" + jid.resource())) return e;
    }
  }
  return jid.local().empty() ? nullptr : find(p, jid.domain());
}

const storage::PolicyEntry* decidingEntry(const PolicyView& p, const std::string& bareContact) {
  if (p.stored.entries.empty()) return nullptr;
  if (auto* e = find(p, bareContact)) return e;
  const auto at = bareContact.find('@');
  return at == std::string::npos ? nullptr : find(p, std::string_view(bareContact).substr(at + 1));
}

std::vector<std::string> PolicyView::blocklist() const {
  std::vector<std::string> jids;
  for (const auto& e : stored.entries) {
    if (e.action == PolicyAction::kBlock && e.scope == PolicyScope::kAll) jids.push_back(e.jid);
  }
  return jids;
}

Policy makePolicy(storage::PrivacyPolicy stored) {
  auto view = std::make_shared<PolicyView>();
  // Matching relies on binary search; do not trust a backend's collation for the order.
  std::sort(stored.entries.begin(), stored.entries.end(),
            [](const auto& a, const auto& b) { return a.jid < b.jid; });
  view->stored = std::move(stored);
  return view;
}

Awaitable<Policy> policyOf(Env& env, const std::string& user) {
  if (auto cached = env.policies.find(user)) co_return *cached;
  co_return co_await env.ctx.worker.run(
      [&] { return env.policies.putIfAbsent(user, loadPolicy(env, user)); });
}

storage::WatcherDefault authorizeFederatedWatcher(const PolicyView& policy,
                                                  const std::string& bareWatcher) {
  if (const storage::PolicyEntry* e = decidingEntry(policy, bareWatcher)) {
    return e->action == PolicyAction::kAllow ? storage::WatcherDefault::kAllow
                                             : storage::WatcherDefault::kBlock;
  }
  return policy.stored.federatedDefault;
}

Awaitable<PolicyChange> changePolicy(Env& env, const std::string& user, PolicyEdit edit) {
  PolicyChange c = co_await env.ctx.worker.run([&] {
    PolicyChange out{{}, loadPolicy(env, user), nullptr, {}};
    out.result = edit(env.ctx.store.privacy());
    out.after = loadPolicy(env, user);
    env.policies.put(user, out.after);
    out.roster = env.ctx.store.roster().items(user);
    return out;
  });
  if (!c.result) {
    logger("im")->warn("privacy change for {} failed: {}", user, c.result.error().message);
  }
  co_return c;
}

Awaitable<void> presenceFollowsPolicy(Env& env, const std::string& user, const PolicyChange& c) {
  // Polite blocking: whoever lost sight of the user sees them go offline, nothing more.
  std::vector<std::string> hide, show;
  for (const storage::PolicyEntry& e : c.after->stored.entries) {
    auto jid = xmpp::Jid::parse(e.jid);
    // Also reaches full JIDs that only had directed presence.
    if (jid && !jid->local().empty() && withholdsPresence(*c.after, *jid) &&
        !withholdsPresence(*c.before, *jid)) {
      hide.push_back(e.jid);
    }
  }
  for (const auto& item : c.roster) {
    if (!hasFrom(item)) continue;
    const bool was = withholdsPresence(*c.before, item.contact);
    const bool is = withholdsPresence(*c.after, item.contact);
    if (!was && is) hide.push_back(item.contact);
    if (was && !is) show.push_back(item.contact);
  }
  std::sort(hide.begin(), hide.end());
  hide.erase(std::unique(hide.begin(), hide.end()), hide.end());
  for (const auto& target : hide) co_await sendUnavailableTo(env, user, target);
  for (const auto& target : show) co_await sendPresenceTo(env, user, target);
}

}  // namespace impd::im
