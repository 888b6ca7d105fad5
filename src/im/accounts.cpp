// Does a local address have an account? A bound session proves it without asking the store;
// otherwise the answer comes from the store and a yes is remembered for a short while, since
// a busy contact sends many stanzas to the same offline user. A no is never cached, so a
// freshly created account is reachable at once; a deleted one may look alive for
// kPositiveTtl, which costs at most an offline message nobody will read.
#include <chrono>

#include "im/internal.h"

namespace impd::im {

namespace {
constexpr std::chrono::seconds kPositiveTtl{60};
}  // namespace

Awaitable<bool> accountExists(Env& env, const std::string& bare) {
  if (!env.resources(bare).empty()) co_return true;
  const auto now = env.ctx.clock.now();
  if (auto until = env.knownAccounts.find(bare); until && *until > now) co_return true;
  const bool exists =
      co_await env.ctx.worker.run([&] { return env.ctx.store.users().find(bare).has_value(); });
  if (exists) env.knownAccounts.put(bare, now + kPositiveTtl);
  co_return exists;
}

}  // namespace impd::im
