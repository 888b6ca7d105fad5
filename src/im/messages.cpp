// Messages and IQs addressed to a local user (RFC 6121 §8.5, RFC 6120 §10.5), after the
// account and blocking stages let them through.
#include "codec/xmpp/namespaces.h"
#include "im/internal.h"

namespace impd::im {

namespace {

std::vector<SessionPtr> nonNegative(Env& env, const std::string& bare) {
  std::vector<SessionPtr> out = env.availableResources(bare);
  std::erase_if(out, [](const SessionPtr& s) { return s->priority() < 0; });
  return out;
}

// The available resources with the highest non-negative priority; all of them on a tie.
std::vector<SessionPtr> bestResources(Env& env, const std::string& bare) {
  std::vector<SessionPtr> best;
  int top = -1;
  for (SessionPtr& s : nonNegative(env, bare)) {
    const int priority = s->priority();
    if (priority > top) {
      top = priority;
      best.clear();
    }
    if (priority == top) best.push_back(std::move(s));
  }
  return best;
}

Awaitable<void> toBareJid(Env& env, Envelope& e) {
  const std::string bare = e.to.bareStr();
  const std::string_view type = e.type();
  if (type == "groupchat") {
    co_await env.answerError(e, "service-unavailable");
  } else if (type == "headline") {
    for (const SessionPtr& s : nonNegative(env, bare)) s->deliver(e.stanza);
  } else if (type == "error") {
    auto best = bestResources(env, bare);
    if (!best.empty()) best.front()->deliver(e.stanza);
  } else {
    // normal, chat, and (RFC 6121 §5.2.2) any unknown type, which counts as normal.
    auto best = bestResources(env, bare);
    for (const SessionPtr& s : best) s->deliver(e.stanza);
    if (best.empty()) co_await storeOffline(env, e);
  }
}

bool isDiscoInfoGet(const Envelope& e) {
  auto payload = e.stanza.children();
  return e.type() == "get" && payload.size() == 1 &&
         payload.front()->is("query", xmpp::ns::kDiscoInfo);
}

}  // namespace

Awaitable<void> deliverMessage(Env& env, Envelope& e) {
  if (!e.to.isBare()) {
    if (SessionPtr s = env.ctx.registry.find(e.to)) {
      s->deliver(std::move(e.stanza));  // the envelope ends here: no copy
      co_return;
    }
    // RFC 6121 §8.5.3.2: the resource is gone. Chat and normal fall back to the bare JID.
    const std::string_view type = e.type();
    if (type == "groupchat") co_await env.answerError(e, "service-unavailable");
    if (type == "groupchat" || type == "headline" || type == "error") co_return;
  }
  co_await toBareJid(env, e);
}

Awaitable<void> deliverIq(Env& env, Envelope& e) {
  if (e.to.isBare()) {
    // RFC 6121 §8.5.2.1.3 (and §10.5.3.1 of RFC 6120): the server answers for the account.
    if (!e.isIqRequest()) co_return;
    if (isDiscoInfoGet(e)) {
      co_await env.answer(e, accountDiscoInfo(e));
    } else {
      co_await env.answerError(e, "service-unavailable");
    }
    co_return;
  }
  if (SessionPtr s = env.ctx.registry.find(e.to)) {
    s->deliver(std::move(e.stanza));  // the envelope ends here: no copy
  } else if (e.isIqRequest()) {
    co_await env.answerError(e, "service-unavailable");
  }
}

}  // namespace impd::im
