// Stream negotiation (RFC 6120 §4-§7): stream headers, features, STARTTLS and resource binding.
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "base/log.h"
#include "codec/xmpp/namespaces.h"
#include "codec/xmpp/stanza.h"
#include "xmpp/c2s_connection.h"

namespace impd::xmpp {

using boost::asio::awaitable;

awaitable<void> C2sConnection::handleEvent(Event& event) {
  switch (event.kind) {
    case Event::kOpen:
      handleStreamOpen(event.element, event.defaultNs);
      break;
    case Event::kClose:
      cleanClose_ = true;
      closeStream();
      break;
    case Event::kStanza:
      if (phase_ == Phase::kBound) {
        co_await handleStanza(event.element);
      } else {
        co_await handleNegotiation(event.element);
      }
      break;
  }
}

void C2sConnection::handleStreamOpen(const xml::Element& header, std::string_view defaultNs) {
  auto to = prepareDomain(header.attr("to"));
  // The header goes out first even when the stream is refused (RFC 6120 §4.9.1.2), and it
  // names the domain the client asked for if it is ours.
  bool known = to.ok() && std::find(ctx_.domains.begin(), ctx_.domains.end(), *to) != ctx_.domains.end();
  if (known) domain_ = *to;
  streamId_ = ctx_.random.token(12);
  write(streamHeaderXml(ns::kClient, domain_.empty() ? ctx_.domains.front() : domain_, {}, streamId_));
  headerSent_ = true;
  if (defaultNs != ns::kClient) return closeWithStreamError("invalid-namespace");
  if (!header.hasAttr("to")) return closeWithStreamError("host-unknown", "no 'to' address");
  if (!known) return closeWithStreamError("host-unknown");
  std::string_view version = header.attr("version");
  if (version.empty() || version.front() < '1') return closeWithStreamError("unsupported-version");
  if (ctx_.draining) return closeWithStreamError("system-shutdown");
  sendFeatures();
}

void C2sConnection::sendFeatures() {
  xml::Element features("features", std::string(ns::kStreams));
  const bool tlsRequired = ctx_.settings.tls == "required";
  if (phase_ == Phase::kConnected) {
    xml::Element& starttls = features.addChild("starttls", std::string(ns::kTls));
    if (tlsRequired) starttls.addChild("required", std::string(ns::kTls));
  }
  if (phase_ == Phase::kSecured || (phase_ == Phase::kConnected && !tlsRequired)) {
    xml::Element& mechs = features.addChild("mechanisms", std::string(ns::kSasl));
    mechs.addChild("mechanism", std::string(ns::kSasl)).addText("SCRAM-SHA-256");
    mechs.addChild("mechanism", std::string(ns::kSasl)).addText("SCRAM-SHA-1");
    // PLAIN sends the password itself, so it is offered only inside TLS.
    if (socket_.isTls()) mechs.addChild("mechanism", std::string(ns::kSasl)).addText("PLAIN");
  }
  if (phase_ == Phase::kAuthenticated) {
    features.addChild("bind", std::string(ns::kBind));
    features.addChild("session", std::string(ns::kSession)).addChild("optional", std::string(ns::kSession));
    features.addChild("sm", std::string(ns::kSm));
    features.addChild("ver", std::string(ns::kRosterVer));
    features.addChild("sub", std::string(ns::kPreApproval));
  }
  // Written with the stream: prefix bound in our header, as every client expects.
  std::string out = "<stream:features>";
  for (const xml::Element* child : features.children()) xml::serializeTo(out, *child, ns::kClient);
  out += "</stream:features>";
  write(std::move(out));
}

awaitable<void> C2sConnection::handleNegotiation(xml::Element& e) {
  const bool tlsRequired = ctx_.settings.tls == "required";
  if (e.is("starttls", ns::kTls)) {
    if (phase_ != Phase::kConnected) {
      write("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>");
      phase_ = Phase::kClosed;
      socket_.close();
      co_return;
    }
    co_await startTls();
    co_return;
  }
  if (phase_ == Phase::kConnected && tlsRequired) {
    closeWithStreamError("policy-violation", "STARTTLS is required");
    co_return;
  }
  if (e.ns() == ns::kSasl && phase_ != Phase::kAuthenticated) {
    if (e.name() == "auth") co_return co_await handleAuth(e);
    if (e.name() == "response") co_return co_await handleSaslResponse(e);
    if (e.name() == "abort") {
      scram_.reset();
      saslFailure("aborted");
      co_return;
    }
  }
  if (phase_ == Phase::kAuthenticated) {
    if (e.is("iq", ns::kClient) && e.child("bind", ns::kBind) != nullptr) co_return co_await handleBind(e);
    if (e.is("resume", ns::kSm)) co_return co_await resume(e);
    if (e.is("enable", ns::kSm)) {
      write("<failed xmlns='urn:xmpp:sm:3'><unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
      co_return;
    }
    if (e.ns() == ns::kClient && e.name() == "iq" && e.attr("type") != "result" && e.attr("type") != "error") {
      // RFC 6120 §7.1: nothing but binding before a resource is bound.
      sendElement(makeErrorReply(e, "not-authorized"));
      co_return;
    }
  }
  closeWithStreamError("not-authorized");
}

awaitable<void> C2sConnection::startTls() {
  write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  // The proceed must reach the client in clear before the handshake starts.
  co_await out_.drained();
  boost::system::error_code ec;
  co_await socket_.startServerTls(*ctx_.tls, ec);
  if (ec) {
    logger("c2s")->debug("{}: TLS handshake failed: {}", socket_.remoteAddress(), ec.message());
    phase_ = Phase::kClosed;
    socket_.close();
    co_return;
  }
  phase_ = Phase::kSecured;
  headerSent_ = false;
  parser_.reset();
}

awaitable<void> C2sConnection::handleBind(xml::Element& iq) {
  if (iq.attr("type") != "set") {
    sendElement(makeErrorReply(iq, "bad-request"));
    co_return;
  }
  std::string requested = iq.child("bind", ns::kBind)->childText("resource", ns::kBind);
  std::string resource;
  if (!requested.empty()) {
    auto prepared = prepareResource(requested);
    if (!prepared) {
      sendElement(makeErrorReply(iq, "bad-request", "invalid resource"));
      co_return;
    }
    resource = *prepared;
  } else {
    resource = ctx_.random.token(9);
  }
  auto jid = Jid::fromParts(authUser_, domain_, resource);
  if (!jid) {
    sendElement(makeErrorReply(iq, "bad-request"));
    co_return;
  }
  session_ = std::make_shared<core::ClientSession>(*jid);
  session_->attach(shared_from_this());
  if (auto displaced = ctx_.registry.add(session_)) {
    // RFC 6120 §7.7.2.2: the new login takes over the resource.
    displaced->replaced = true;
    displaced->close("conflict", "replaced by a new login");
  }
  phase_ = Phase::kBound;
  timer_.cancel();  // re-evaluate the deadlines: negotiation is over
  xml::Element result = makeIqResult(iq);
  result.removeAttr("from");
  result.removeAttr("to");
  result.addChild("bind", std::string(ns::kBind)).addChild("jid", std::string(ns::kBind)).addText(jid->str());
  sendElement(result);
  logger("c2s")->info("{} bound from {}", jid->str(), socket_.remoteAddress());
}

}  // namespace impd::xmpp
