// Offline messages (XEP-0160): stored with a delay stamp (XEP-0203) when no resource can take
// a message for the bare JID, and handed to the first non-negative resource that comes online.
#include "base/log.h"
#include "codec/xmpp/namespaces.h"
#include "im/internal.h"
#include "xml/stream_parser.h"

namespace impd::im {

Awaitable<void> storeOffline(Env& env, Envelope& e) {
  // XEP-0160 §3: a message without a body (chat states, receipts) is not worth keeping.
  if (!e.stanza.child("body", e.stanza.ns())) co_return;
  const std::string user = e.to.bareStr();
  xml::Element stored = e.stanza;
  xml::Element& delay = stored.addChild("delay", std::string(xmpp::ns::kDelay));
  delay.setAttr("from", e.to.domain());
  delay.setAttr("stamp", formatXmppTimestamp(env.ctx.clock.wallNow()));
  const std::string text = xml::serialize(stored);
  Result<void> pushed = co_await env.ctx.worker.run(
      [&] { return env.ctx.store.offline().push(user, text, env.ctx.offlineLimit); });
  if (pushed) co_return;
  const bool full = pushed.error().condition == "resource-constraint";
  if (!full)
    logger("im")->warn("storing offline message for {} failed: {}", user, pushed.error().message);
  co_await env.answerError(e, full ? "resource-constraint" : "internal-server-error");
}

Awaitable<void> deliverOffline(Env& env, const SessionPtr& session) {
  const std::string user = session->jid().bareStr();
  auto messages = co_await env.ctx.worker.run([&] { return env.ctx.store.offline().popAll(user); });
  for (const auto& m : messages) {
    xml::Element stanza;
    if (!xml::parseDocument(m.stanza, stanza)) {
      logger("im")->warn("skipping unreadable offline message {} for {}", m.id, user);
      continue;
    }
    session->deliver(std::move(stanza));
  }
}

}  // namespace impd::im
