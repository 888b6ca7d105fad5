#include <algorithm>

#include "codec/xmpp/namespaces.h"
#include "im/internal.h"
#include "im/router.h"

namespace impd::im {

Env::Env(Context c)
    : ctx(std::move(c)), random(ctx.random ? *ctx.random : SecureRandom::instance()) {}

bool Env::isLocalDomain(std::string_view domain) const {
  return std::find(ctx.domains.begin(), ctx.domains.end(), domain) != ctx.domains.end();
}

Awaitable<void> Env::send(xml::Element stanza) {
  co_await router->route(std::move(stanza), Origin::kServer);
}

Awaitable<void> Env::answer(const Envelope& e, xml::Element reply) {
  if (e.origin == Origin::kClient && e.session) {
    e.session->deliver(std::move(reply));
    co_return;
  }
  co_await send(std::move(reply));
}

Awaitable<void> Env::answerError(const Envelope& e, std::string_view condition) {
  if (e.isError()) co_return;
  co_await answer(e, xmpp::makeErrorReply(e.stanza, condition));
}

std::vector<SessionPtr> Env::resources(const std::string& bare) const {
  return ctx.registry.resources(bare);
}

std::vector<SessionPtr> Env::availableResources(const std::string& bare) const {
  std::vector<SessionPtr> out = ctx.registry.resources(bare);
  std::erase_if(out, [](const SessionPtr& s) { return !s->available(); });
  return out;
}

xml::Element makeStanza(std::string_view name, std::string_view from, std::string_view to,
                        std::string_view type) {
  xml::Element e{std::string(name), std::string(xmpp::ns::kClient)};
  if (!from.empty()) e.setAttr("from", from);
  if (!to.empty()) e.setAttr("to", to);
  if (!type.empty()) e.setAttr("type", type);
  return e;
}

}  // namespace impd::im
