// Answering a presence probe for a local user (RFC 6121 §4.3.2). A blocked prober never gets
// here: the inbound blocking stage drops the probe without a word.
#include "im/internal.h"

namespace impd::im {

Awaitable<void> answerProbe(Env& env, Envelope& e) {
  const std::string user = e.to.bareStr();
  const std::string prober = e.from.bareStr();
  auto item =
      co_await env.ctx.worker.run([&] { return env.ctx.store.roster().item(user, prober); });
  if (!item || !hasFrom(*item)) {
    // §4.3.2: not subscribed. 'unsubscribed' (not an error) lets the prober's server clean up
    // a subscription it believes in but we do not.
    co_await env.send(makeStanza("presence", user, prober, "unsubscribed"));
    co_return;
  }
  auto resources = env.availableResources(user);
  if (resources.empty()) {
    co_await env.send(makeStanza("presence", user, prober, "unavailable"));
    co_return;
  }
  for (const SessionPtr& s : resources) {
    auto last = s->presence().last;
    if (!last) continue;
    last->setAttr("from", s->jid().str());
    last->setAttr("to", prober);
    co_await env.send(std::move(*last));
  }
}

}  // namespace impd::im
