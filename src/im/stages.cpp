// The policy stages, in the order the router runs them. Each one looks at the envelope and
// either lets it continue, stops it (silently or after answering), or takes it over.
#include "codec/xmpp/namespaces.h"
#include "im/internal.h"
#include "im/subscription.h"

namespace impd::im {

namespace {

using K = xmpp::StanzaKind;

bool isLocalUser(const Env& env, const xmpp::Jid& jid) {
  return !jid.local().empty() && env.isLocalDomain(jid.domain());
}

// XEP-0191 §3.3: what a user sends to a JID they blocked is refused. Presence is dropped
// (broadcasts already skip blocked contacts; this catches directed presence); messages and
// requests get not-acceptable with <blocked/> so the client can explain.
class OutboundBlocking final : public Stage {
 public:
  explicit OutboundBlocking(Env& env) : env_(env) {}
  Awaitable<Verdict> process(Envelope& e) override {
    if (e.origin == Origin::kServer) co_return Verdict::kContinue;
    if (e.dest != Destination::kLocalUser && e.dest != Destination::kRemote) {
      co_return Verdict::kContinue;
    }
    if (!isLocalUser(env_, e.from) || e.to.bare() == e.from.bare()) co_return Verdict::kContinue;
    Policy policy = co_await policyOf(env_, e.from.bareStr());
    if (!blocksAll(*policy, e.to)) co_return Verdict::kContinue;
    bool answerable =
        (e.kind == K::kMessage && !e.isError()) || (e.kind == K::kIq && e.isIqRequest());
    if (answerable) {
      xml::Element reply = xmpp::makeErrorReply(e.stanza, "not-acceptable");
      xmpp::addAppCondition(reply, "blocked", xmpp::ns::kBlockingErrors);
      co_await env_.answer(e, std::move(reply));
    }
    co_return Verdict::kStop;
  }

 private:
  Env& env_;
};

// Presence a client sends is mostly not routed as is (RFC 6121 §4): without 'to' it is a
// broadcast, subscription types drive the state machine, and probes are the server's job.
class ClientPresence final : public Stage {
 public:
  explicit ClientPresence(Env& env) : env_(env) {}
  Awaitable<Verdict> process(Envelope& e) override {
    if (e.origin != Origin::kClient || e.kind != K::kPresence) co_return Verdict::kContinue;
    const std::string_view type = e.type();
    const bool own = e.dest == Destination::kOwnAccount;
    if (type.empty() || type == "unavailable") {
      if (own) {
        co_await clientBroadcast(env_, e);
        co_return Verdict::kStop;
      }
      co_await noteDirectedPresence(env_, e);
      co_return Verdict::kContinue;
    }
    if (parseSubType(type)) {
      // A subscription to oneself means nothing: own resources always see each other.
      if (!own) co_await outboundSubscription(env_, e);
      co_return Verdict::kStop;
    }
    if (type == "error") co_return own ? Verdict::kStop : Verdict::kContinue;
    // RFC 6121 §4.3: probes come from servers; a client's probe is dropped.
    if (type != "probe") co_await env_.answerError(e, "bad-request");
    co_return Verdict::kStop;
  }

 private:
  Env& env_;
};

// RFC 6121 §8.5.1 and 8.1: a local address without an account.
class AccountExists final : public Stage {
 public:
  explicit AccountExists(Env& env) : env_(env) {}
  Awaitable<Verdict> process(Envelope& e) override {
    if (e.dest != Destination::kLocalUser) co_return Verdict::kContinue;
    const std::string bare = e.to.bareStr();
    if (co_await accountExists(env_, bare)) co_return Verdict::kContinue;
    // Headlines are fire-and-forget (RFC 6121 §8.5.1 lets us ignore them; 5.3 table: drop).
    const bool headline = e.kind == K::kMessage && e.type() == "headline";
    if ((e.kind == K::kMessage && !headline) || (e.kind == K::kIq && e.isIqRequest())) {
      co_await env_.answerError(e, "service-unavailable");
    } else if (e.kind == K::kPresence && e.type() == "subscribe") {
      // RFC 6121 §3.1.3: tell the requester the subscription is not going to happen.
      co_await env_.send(makeStanza("presence", bare, e.from.bareStr(), "unsubscribed"));
    }
    co_return Verdict::kStop;
  }

 private:
  Env& env_;
};

// XEP-0191 §3.4: the recipient blocked the sender. The sender must not learn more than that
// the user is not reachable, so presence (subscriptions and probes too) vanishes silently.
// A presence-only block (polite blocking of a watcher) swallows what would let the sender see
// the user (subscription requests, probes) and lets everything else through.
class InboundBlocking final : public Stage {
 public:
  explicit InboundBlocking(Env& env) : env_(env) {}
  Awaitable<Verdict> process(Envelope& e) override {
    if (e.dest != Destination::kLocalUser || e.from.bare() == e.to.bare()) {
      co_return Verdict::kContinue;
    }
    Policy policy = co_await policyOf(env_, e.to.bareStr());
    if (blocksAll(*policy, e.from)) {
      if (e.kind == K::kMessage || (e.kind == K::kIq && e.isIqRequest())) {
        co_await env_.answerError(e, "service-unavailable");
      }
      co_return Verdict::kStop;
    }
    const bool asksToSee = e.kind == K::kPresence && (e.type() == "subscribe" || e.type() == "probe");
    if (asksToSee && withholdsPresence(*policy, e.from)) co_return Verdict::kStop;
    co_return Verdict::kContinue;
  }

 private:
  Env& env_;
};

// Subscription stanzas to a local user are consumed by the state machine.
class InboundSubscription final : public Stage {
 public:
  explicit InboundSubscription(Env& env) : env_(env) {}
  Awaitable<Verdict> process(Envelope& e) override {
    if (e.dest != Destination::kLocalUser || e.kind != K::kPresence || !parseSubType(e.type())) {
      co_return Verdict::kContinue;
    }
    co_await inboundSubscription(env_, e);
    co_return Verdict::kStop;
  }

 private:
  Env& env_;
};

}  // namespace

std::vector<std::unique_ptr<Stage>> makeStages(Env& env) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<OutboundBlocking>(env));
  stages.push_back(std::make_unique<ClientPresence>(env));
  stages.push_back(std::make_unique<AccountExists>(env));
  stages.push_back(std::make_unique<InboundBlocking>(env));
  stages.push_back(std::make_unique<InboundSubscription>(env));
  return stages;
}

}  // namespace impd::im
