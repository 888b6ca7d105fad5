#include "im/router.h"

#include "base/log.h"

namespace impd::im {

Router::Router(Env& env) : env_(env), stages_(makeStages(env)) {}

Awaitable<std::optional<Envelope>> Router::envelope(xml::Element stanza, Origin origin,
                                                    SessionPtr session) {
  Envelope e;
  e.kind = xmpp::stanzaKind(stanza);
  e.origin = origin;
  e.session = std::move(session);
  if (e.kind == xmpp::StanzaKind::kOther) co_return std::nullopt;

  auto from = xmpp::Jid::parse(stanza.attr("from"));
  if (!from) {
    // Front ends stamp 'from'; a stanza without a usable one has nobody to answer to.
    logger("im")->debug("dropping <{}/> without a valid from", stanza.name());
    co_return std::nullopt;
  }
  e.from = std::move(*from);
  const std::string toText(stanza.attr("to"));
  e.stanza = std::move(stanza);
  if (!toText.empty()) {
    auto to = xmpp::Jid::parse(toText);
    if (!to) {
      co_await env_.answerError(e, "jid-malformed");
      co_return std::nullopt;
    }
    e.to = std::move(*to);
  } else if (origin != Origin::kClient) {
    co_return std::nullopt;
  } else if (e.kind == xmpp::StanzaKind::kMessage) {
    // RFC 6120 §10.3.1: a message without 'to' goes to the sender's own bare JID.
    e.to = e.from.bare();
    e.stanza.setAttr("to", e.to.str());
  }
  e.dest = classify(e);
  co_return e;
}

Destination Router::classify(const Envelope& e) const {
  if (e.to.empty()) return Destination::kOwnAccount;
  if (e.origin == Origin::kClient && e.kind != xmpp::StanzaKind::kMessage &&
      e.to == e.from.bare()) {
    return Destination::kOwnAccount;
  }
  if (env_.isLocalDomain(e.to.domain())) {
    return e.to.local().empty() ? Destination::kServer : Destination::kLocalUser;
  }
  return Destination::kRemote;
}

Awaitable<void> Router::dispatch(Envelope e) {
  for (auto& stage : stages_) {
    if (co_await stage->process(e) == Verdict::kStop) co_return;
  }
  co_await toDestination(e);
}

Awaitable<void> Router::route(xml::Element stanza, Origin origin, SessionPtr session) {
  auto e = co_await envelope(std::move(stanza), origin, std::move(session));
  if (e) co_await dispatch(std::move(*e));
}

Awaitable<void> Router::toDestination(Envelope& e) {
  using K = xmpp::StanzaKind;
  switch (e.dest) {
    case Destination::kOwnAccount:
      // Presence to the own account was consumed by the client presence stage.
      if (e.kind == K::kIq) co_await handleOwnAccountIq(env_, e);
      co_return;
    case Destination::kServer:
      if (e.kind == K::kIq) {
        co_await handleServerIq(env_, e);
      } else if (e.kind == K::kMessage) {
        co_await env_.answerError(e, "service-unavailable");
      }
      co_return;
    case Destination::kLocalUser:
      if (e.kind == K::kMessage) {
        co_await deliverMessage(env_, e);
      } else if (e.kind == K::kIq) {
        co_await deliverIq(env_, e);
      } else {
        co_await deliverPresence(env_, e);
      }
      co_return;
    case Destination::kRemote:
      co_await routeRemote(env_, e);
      co_return;
  }
}

}  // namespace impd::im
