// Stanzas for domains this server does not host: handed to server-to-server federation when
// the policy allows the domain, refused with policy-violation when it does not, and answered
// remote-server-not-found when federation is off.
#include "im/internal.h"

namespace impd::im {

namespace {
// Presence the server makes on the user's behalf (broadcasts, probes, subscription routing)
// is bookkeeping: bouncing it would flood the user's client with errors for every remote
// contact at every presence change. Only what the client addressed itself is answered.
bool deservesAnswer(const Envelope& e) {
  if (e.kind == xmpp::StanzaKind::kPresence && e.origin != Origin::kClient) return false;
  if (e.kind == xmpp::StanzaKind::kIq && !e.isIqRequest()) return false;
  return true;
}
}  // namespace

Awaitable<void> routeRemote(Env& env, Envelope& e) {
  RemoteGateway* remote = env.ctx.remote;
  if (remote == nullptr) {
    if (deservesAnswer(e)) co_await env.answerError(e, "remote-server-not-found");
    co_return;
  }
  // Only our own users and domains speak to other servers; a peer's stanza for a third
  // domain is not relayed (every 'from' on an s2s stream must be ours).
  if (!env.isLocalDomain(e.from.domain())) co_return;
  if (!remote->permits(e.to.domain())) {
    if (deservesAnswer(e)) co_await env.answerError(e, "policy-violation");
    co_return;
  }
  if (e.kind == xmpp::StanzaKind::kPresence) {
    e.stanza = presenceForRemote(env, e.stanza, e.to.domain());
  }
  remote->send(e.from.domain(), e.to.domain(), std::move(e.stanza));
}

}  // namespace impd::im
