// Entity capabilities (XEP-0115) in the server, for one purpose: learning which clients list
// impd's availability extension and so see the full canonical state. A client's <c/> in its
// presence names a verification string; the first time a string is seen the server asks that
// client for its disco#info, checks that the answer hashes to the string, and remembers what
// it means for every later client that sends the same string.
#include "codec/xmpp/caps.h"
#include "codec/xmpp/namespaces.h"
#include "im/internal.h"

namespace impd::im {

namespace {

constexpr std::size_t kMaxPending = 10'000;

bool listsExtension(const xml::Element& query) {
  for (const xml::Element* f : query.children("feature", xmpp::ns::kDiscoInfo)) {
    if (f->attr("var") == xmpp::ns::kAvailability) return true;
  }
  return false;
}

// The session now sees full states: what it was shown before its capabilities were known was
// the standard rendering, so it asks its contacts again (answers go to this resource only).
Awaitable<void> refreshContacts(Env& env, const SessionPtr& session) {
  const std::string user = session->jid().bareStr();
  auto roster = co_await env.ctx.worker.run([&] { return env.ctx.store.roster().items(user); });
  Policy policy = co_await policyOf(env, user);
  for (const auto& item : roster) {
    if (hasTo(item) && !blocksAll(*policy, item.contact)) {
      co_await env.send(makeStanza("presence", session->jid().str(), item.contact, "probe"));
    }
  }
}

}  // namespace

Awaitable<void> noteCapabilities(Env& env, const SessionPtr& session, const xml::Element& presence) {
  const xml::Element* c = presence.child("c", xmpp::ns::kCaps);
  // Only SHA-1 strings can be checked here; anything else counts as a standard client.
  if (c == nullptr || c->attr("hash") != "sha-1" || c->attr("ver").empty()) {
    session->richPresence = false;
    co_return;
  }
  const std::string ver(c->attr("ver"));
  if (auto known = env.capsRich.find(ver)) {
    session->richPresence = *known;
    co_return;
  }
  const std::string id = "caps-" + env.newId();
  {
    std::lock_guard lock(env.capsMutex);
    if (env.capsPending.size() >= kMaxPending) env.capsPending.clear();
    env.capsPending[id] = Env::CapsQuery{session, ver};
  }
  xml::Element iq = makeStanza("iq", session->jid().domain(), session->jid().str(), "get");
  iq.setAttr("id", id);
  iq.addChild("query", std::string(xmpp::ns::kDiscoInfo))
      .setAttr("node", std::string(c->attr("node")) + "#" + ver);
  session->deliver(std::move(iq));
}

Awaitable<bool> takeCapsAnswer(Env& env, Envelope& e) {
  const std::string id(e.stanza.attr("id"));
  if (id.rfind("caps-", 0) != 0) co_return false;
  std::optional<Env::CapsQuery> query;
  {
    std::lock_guard lock(env.capsMutex);
    auto it = env.capsPending.find(id);
    if (it == env.capsPending.end()) co_return false;
    query = it->second;
    env.capsPending.erase(it);
  }
  SessionPtr session = query->session.lock();
  // Only the client that was asked may answer for its verification string.
  if (!session || session->jid() != e.from || e.type() != "result") co_return true;
  const xml::Element* answer = e.stanza.child("query", xmpp::ns::kDiscoInfo);
  if (answer == nullptr) co_return true;
  const bool rich = listsExtension(*answer);
  if (xmpp::capsVerification(*answer) == query->ver) env.capsRich.put(query->ver, rich);
  const bool was = session->richPresence.exchange(rich);
  if (rich && !was && session->available()) co_await refreshContacts(env, session);
  co_return true;
}

}  // namespace impd::im
