// Stanzas of a bound session, stream management (XEP-0198) and the end of a session.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>

#include "base/log.h"
#include "codec/xmpp/namespaces.h"
#include "codec/xmpp/stanza.h"
#include "xmpp/c2s_connection.h"

namespace impd::xmpp {

namespace asio = boost::asio;
using asio::awaitable;

namespace {
std::optional<std::uint32_t> parseCounter(std::string_view text) {
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

// Whether a message is worth keeping when its session is gone (XEP-0198 §4 asks the server
// to treat unacknowledged stanzas as undelivered).
bool C2sConnection::worthRerouting(const xml::Element& e) {
  if (e.name() != "message" || e.child("body") == nullptr) return false;
  std::string_view type = e.attr("type");
  return type.empty() || type == "normal" || type == "chat";
}

void C2sConnection::rerouteLost(xml::Element stanza) {
  if (!worthRerouting(stanza)) return;
  // The full JID no longer exists, so routing treats it as the bare JID: another resource or
  // offline storage.
  asio::co_spawn(
      timer_.get_executor(),
      [self = shared_from_this(), s = std::move(stanza)]() mutable -> awaitable<void> {
        co_await self->ctx_.service.route(std::move(s));
      },
      asio::detached);
}

awaitable<void> C2sConnection::handleStanza(xml::Element& e) {
  if (e.ns() == ns::kSm) co_return co_await handleSm(e);
  if (e.ns() != ns::kClient) co_return closeWithStreamError("invalid-namespace");
  if (stanzaKind(e) == StanzaKind::kOther) co_return closeWithStreamError("unsupported-stanza-type");
  if (session_->sm.enabled()) session_->sm.countHandled();

  if (e.name() == "iq" && e.attr("id") == kIdlePingId &&
      (e.attr("type") == "result" || e.attr("type") == "error")) {
    co_return;  // the answer to our idle probe: reading it was all that mattered
  }
  if (e.hasAttr("from")) {
    // RFC 6120 §8.1.2.1: a client may only name itself.
    auto from = Jid::parse(e.attr("from"));
    if (!from || (*from != session_->jid() && *from != session_->jid().bare())) {
      co_return closeWithStreamError("invalid-from");
    }
  }
  if (e.hasAttr("to")) {
    auto to = Jid::parse(e.attr("to"));
    if (!to) {
      if (!isError(e)) {
        xml::Element reply = makeErrorReply(e, "jid-malformed");
        reply.removeAttr("from");
        sendStanza(std::move(reply));
      }
      co_return;
    }
    e.setAttr("to", to->str());
  }
  e.setAttr("from", session_->jid().str());
  co_await ctx_.service.fromClient(session_, std::move(e));
}

awaitable<void> C2sConnection::handleSm(xml::Element& e) {
  core::SmState& sm = session_->sm;
  if (e.name() == "enable") {
    if (sm.enabled()) {
      write("<failed xmlns='urn:xmpp:sm:3'><unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
      co_return;
    }
    bool resume = e.attr("resume") == "true" || e.attr("resume") == "1";
    sm.enable(resume);
    if (resume) {
      session_->smId = ctx_.random.token(18);
      write("<enabled xmlns='urn:xmpp:sm:3' id='" + session_->smId + "' resume='true' max='" +
            std::to_string(ctx_.settings.smResumeTimeoutSeconds) + "'/>");
    } else {
      write("<enabled xmlns='urn:xmpp:sm:3'/>");
    }
  } else if (e.name() == "r") {
    if (sm.enabled()) write("<a xmlns='urn:xmpp:sm:3' h='" + std::to_string(sm.handled()) + "'/>");
  } else if (e.name() == "a") {
    auto h = parseCounter(e.attr("h"));
    if (!sm.enabled() || !h) co_return closeWithStreamError("undefined-condition", "bad <a/>");
    if (!sm.acknowledge(*h)) {
      write("<handled-count-too-high xmlns='urn:xmpp:sm:3' h='" + std::to_string(*h) + "' send-count='" +
            std::to_string(sm.sentCount()) + "'/>");
      closeWithStreamError("undefined-condition", "acknowledged more stanzas than were sent");
    }
  } else if (e.name() == "resume") {
    write("<failed xmlns='urn:xmpp:sm:3'><unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
  } else {
    closeWithStreamError("unsupported-stanza-type");
  }
}

awaitable<void> C2sConnection::resume(xml::Element& e) {
  auto h = parseCounter(e.attr("h"));
  std::string previd(e.attr("previd"));
  auto session = h ? ctx_.registry.takeResumable(previd) : nullptr;
  if (session && (session->jid().local() != authUser_ || session->jid().domain() != domain_)) {
    ctx_.registry.addResumable(previd, session);  // not this user's: leave it be
    session = nullptr;
  }
  if (!session) {
    write("<failed xmlns='urn:xmpp:sm:3'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
    co_return;
  }
  session_ = session;
  std::vector<xml::Element> queued = session_->attach(shared_from_this());
  session_->sm.acknowledge(*h);
  std::vector<xml::Element> unacked = session_->sm.takeUnacked();
  phase_ = Phase::kBound;
  timer_.cancel();
  write("<resumed xmlns='urn:xmpp:sm:3' previd='" + previd + "' h='" +
        std::to_string(session_->sm.handled()) + "'/>");
  for (auto& stanza : unacked) sendStanza(std::move(stanza));
  for (auto& stanza : queued) sendStanza(std::move(stanza));
  logger("c2s")->info("{} resumed from {}", session_->jid().str(), socket_.remoteAddress());
}

awaitable<void> C2sConnection::endSession() {
  if (!session_) co_return;
  auto session = session_;
  session->detach();
  const bool resumable = session->sm.resumable() && !cleanClose_ && !session->replaced && !ctx_.draining;
  if (resumable) {
    // Keep the session (still registered and present) for the resumption window; a new
    // stream may take it over with <resume/> meanwhile.
    ctx_.registry.addResumable(session->smId, session);
    asio::steady_timer window(timer_.get_executor(), std::chrono::seconds(ctx_.settings.smResumeTimeoutSeconds));
    co_await window.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!ctx_.registry.takeResumable(session->smId)) co_return;  // resumed elsewhere
  }
  ctx_.registry.remove(session);
  std::vector<xml::Element> leftovers = session->sm.takeUnacked();
  for (auto& stanza : session->attach(nullptr)) leftovers.push_back(std::move(stanza));
  sessionEnded_ = true;  // from here on, stanzas still in flight to us are rerouted
  if (session->replaced) {
    auto presence = session->presence();
    presence.available = false;
    session->setPresence(presence);
  }
  co_await ctx_.service.sessionEnded(session);
  for (auto& stanza : leftovers) {
    if (worthRerouting(stanza)) co_await ctx_.service.route(std::move(stanza));
  }
  logger("c2s")->debug("{} ended", session->jid().str());
}

}  // namespace impd::xmpp
