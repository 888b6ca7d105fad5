// Wiring only: the environment, the router with its stages, and the three entry points.
#include "im/service.h"

#include "im/internal.h"
#include "im/router.h"

namespace impd::im {

struct Service::Impl {
  explicit Impl(Context ctx) : env(std::move(ctx)), router(env) { env.router = &router; }
  Env env;
  Router router;
};

Service::Service(Context ctx) : impl_(std::make_unique<Impl>(std::move(ctx))) {}
Service::~Service() = default;

boost::asio::awaitable<void> Service::fromClient(std::shared_ptr<core::ClientSession> session,
                                                 xml::Element stanza) {
  // The session is the only authority on who sent it.
  stanza.setAttr("from", session->jid().str());
  co_await impl_->router.route(std::move(stanza), Origin::kClient, std::move(session));
}

boost::asio::awaitable<void> Service::sessionEnded(std::shared_ptr<core::ClientSession> session) {
  co_await endSession(impl_->env, std::move(session));
}

boost::asio::awaitable<void> Service::route(xml::Element stanza) {
  co_await impl_->router.route(std::move(stanza), Origin::kPeer);
}

bool Service::isLocalDomain(std::string_view domain) const {
  return impl_->env.isLocalDomain(domain);
}

boost::asio::awaitable<Service::WatcherView> Service::watcherView(std::string user,
                                                                 std::string watcher) {
  using Standing = WatcherView::Standing;
  Env& env = impl_->env;
  WatcherView view;
  auto watcherJid = xmpp::Jid::parse(watcher);
  if (!watcherJid || !co_await accountExists(env, user)) {
    view.standing = Standing::kNoSuchUser;
    co_return view;
  }
  // The same order the stanza path decides in: blocks first (inbound blocking stage), then the
  // subscription the roster records, then the default for federated watchers.
  Policy policy = co_await policyOf(env, user);
  if (withholdsPresence(*policy, *watcherJid) ||
      authorizeFederatedWatcher(*policy, watcherJid->bareStr()) == storage::WatcherDefault::kBlock) {
    view.standing = Standing::kWithheld;
    co_return view;
  }
  auto item = co_await env.ctx.worker.run(
      [&] { return env.ctx.store.roster().item(user, watcherJid->bareStr()); });
  if (!item || !hasFrom(*item)) co_return view;
  view.standing = Standing::kAuthorized;
  for (const SessionPtr& s : env.availableResources(user)) {
    auto last = s->presence().last;
    if (!last) continue;
    last->setAttr("from", s->jid().str());
    last->setAttr("to", watcher);
    view.presence.push_back(presenceForRemote(env, *last, watcherJid->domain()));
  }
  if (view.presence.empty()) view.presence.push_back(makeStanza("presence", user, watcher, "unavailable"));
  co_return view;
}

boost::asio::awaitable<storage::PrivacyPolicy> Service::privacyPolicy(std::string user) {
  Policy policy = co_await policyOf(impl_->env, user);
  co_return policy->stored;
}

boost::asio::awaitable<Result<void>> Service::setPrivacyPolicy(std::string user,
                                                               storage::PrivacyPolicy policy) {
  Env& env = impl_->env;
  PolicyChange c = co_await changePolicy(
      env, user, [&](storage::PrivacyStore& privacy) { return privacy.setPolicy(user, policy); });
  if (!c.result) co_return c.result;
  pushBlocklistChange(env, user, *c.before, *c.after);
  pushPrivacyListChange(env, user, c.after->stored.listName);
  co_await presenceFollowsPolicy(env, user, c);
  co_return Result<void>();
}

}  // namespace impd::im
