// XEP-0191 blocking: the blocklist IQs, a view of the policy entries that block everything,
// with their pushes and polite side effects.
#include <algorithm>
#include <iterator>
#include <optional>

#include "codec/xmpp/namespaces.h"
#include "im/internal.h"

namespace impd::im {

namespace {

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

Awaitable<void> blockOrUnblock(Env& env, Envelope& e, bool block,
                               const std::vector<std::string>& jids) {
  const std::string user = e.from.bareStr();
  PolicyChange c = co_await changePolicy(env, user, [&](storage::PrivacyStore& privacy) {
    if (block) return privacy.block(user, jids);
    return jids.empty() ? privacy.unblockAll(user) : privacy.unblock(user, jids);
  });
  if (!c.result) {
    co_await env.answerError(e, "internal-server-error");
    co_return;
  }
  pushChange(env, user, listElement(block ? "block" : "unblock", jids));
  co_await env.answer(e, xmpp::makeIqResult(e.stanza));
  co_await presenceFollowsPolicy(env, user, c);
}

}  // namespace

void pushBlocklistChange(Env& env, const std::string& user, const PolicyView& before,
                         const PolicyView& after) {
  const auto was = before.blocklist(), is = after.blocklist();
  std::vector<std::string> added, removed;
  std::set_difference(is.begin(), is.end(), was.begin(), was.end(), std::back_inserter(added));
  std::set_difference(was.begin(), was.end(), is.begin(), is.end(), std::back_inserter(removed));
  if (!added.empty()) pushChange(env, user, listElement("block", added));
  if (!removed.empty()) pushChange(env, user, listElement("unblock", removed));
}

Awaitable<void> handleBlockingIq(Env& env, Envelope& e) {
  const xml::Element& payload = *e.stanza.childElements().front();
  const bool get = e.type() == "get";
  if (payload.name() == "blocklist" && get) {
    Policy policy = co_await policyOf(env, e.from.bareStr());
    xml::Element reply = xmpp::makeIqResult(e.stanza);
    reply.addChild(listElement("blocklist", policy->blocklist()));
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
  } else if (payload.name() == "block" && jids->empty()) {
    co_await env.answerError(e, "bad-request");
  } else {
    co_await blockOrUnblock(env, e, payload.name() == "block", *jids);
  }
}

}  // namespace impd::im
