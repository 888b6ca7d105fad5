// Stanzas for domains this server does not host. There is no server-to-server routing yet,
// so the answer is that the domain cannot be reached; the s2s router replaces exactly this
// function.
#include "im/internal.h"

namespace impd::im {

Awaitable<void> routeRemote(Env& env, Envelope& e) {
  // Presence the server makes on the user's behalf (broadcasts, probes, subscription
  // routing) is bookkeeping: bouncing it would flood the user's client with errors for every
  // remote contact at every presence change. Only what the client addressed itself bounces.
  if (e.kind == xmpp::StanzaKind::kPresence && e.origin != Origin::kClient) co_return;
  if (e.kind == xmpp::StanzaKind::kIq && !e.isIqRequest()) co_return;
  co_await env.answerError(e, "remote-server-not-found");
}

}  // namespace impd::im
