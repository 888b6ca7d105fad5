// What a session gets when it becomes available for the first time (RFC 6121 §4.2), after
// its presence went out: probes to the contacts it is subscribed to, the presence of the
// user's other resources, every subscription request still unanswered, and offline messages.
#include "im/internal.h"
#include "xml/stream_parser.h"

namespace impd::im {

namespace {

// A request stored by the inbound path, or one rebuilt when only the flag survived (rows
// written by another front end or an older server).
xml::Element pendingRequest(const std::string& user, const storage::RosterItem& item) {
  xml::Element stanza;
  if (!item.pendingInStanza.empty() && xml::parseDocument(item.pendingInStanza, stanza) &&
      stanza.name() == "presence") {
    return stanza;
  }
  return makeStanza("presence", item.contact, user, "subscribe");
}

}  // namespace

Awaitable<void> initialPresence(Env& env, const SessionPtr& session,
                                const std::vector<storage::RosterItem>& roster,
                                const PolicyView& policy) {
  const std::string user = session->jid().bareStr();
  const std::string full = session->jid().str();

  for (const auto& item : roster) {
    if (hasTo(item) && !blocksAll(policy, item.contact)) {
      co_await env.send(makeStanza("presence", user, item.contact, "probe"));
    }
  }

  for (const SessionPtr& other : env.availableResources(user)) {
    if (other == session) continue;
    auto last = other->presence().last;
    if (!last) continue;
    last->setAttr("from", other->jid().str());
    last->setAttr("to", full);
    session->deliver(presenceForLocal(env, *last, other->jid().domain(), session->richPresence));
  }

  for (const auto& item : roster) {
    if (item.pendingIn && !withholdsPresence(policy, item.contact)) {
      session->deliver(pendingRequest(user, item));
    }
  }

  // XEP-0160 §5: a resource with negative priority does not want messages for the bare JID.
  if (session->priority() >= 0) co_await deliverOffline(env, session);
}

}  // namespace impd::im
