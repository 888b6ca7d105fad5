#include "s2s/outbound_stream.h"

#include "base/base64.h"
#include "base/log.h"
#include "codec/xmpp/dialback.h"
#include "codec/xmpp/jid.h"
#include "codec/xmpp/namespaces.h"
#include "codec/xmpp/stanza.h"
#include "s2s/wire.h"

namespace impd::s2s {

namespace ns = xmpp::ns;
using config::S2sTls;

namespace {
// Dialback answers name the pair in the peer's spelling; compare prepared forms.
std::string prepared(std::string_view domain) {
  auto d = xmpp::prepareDomain(domain);
  return d ? *d : std::string();
}

std::string streamErrorText(const xml::Element& error) {
  std::string condition, text;
  for (const xml::Element* c : error.children()) {
    if (c->name() == "text") {
      text = c->text();
    } else if (condition.empty()) {
      condition = c->name();
    }
  }
  return text.empty() ? condition : condition + " (" + text + ")";
}
}  // namespace

OutboundStream::OutboundStream(const StreamSettings& settings, std::string local, std::string remote,
                               OutboundHost& host)
    : settings_(settings), local_(std::move(local)), remote_(std::move(remote)), host_(host) {}

void OutboundStream::connected(bool directTls) {
  directTls_ = directTls;
  secured_ = directTls;
  state_ = State::kAwaitHeader;
  host_.write(streamHeader(local_, remote_, {}));
}

void OutboundStream::tlsEstablished() {
  if (state_ != State::kTls) return;
  secured_ = true;
  state_ = State::kAwaitHeader;
  host_.write(streamHeader(local_, remote_, {}));
}

void OutboundStream::onStreamOpen(const xml::Element& header, std::string_view defaultNs) {
  if (state_ != State::kAwaitHeader) return;
  if (defaultNs != ns::kServer) return fail("remote-server-not-found", "the peer does not speak jabber:server");
  streamId_ = std::string(header.attr("id"));
  version1_ = header.attr("version") == "1.0";
  state_ = State::kAwaitFeatures;
  if (!version1_) {
    // A pre-RFC 3920 server sends no features: dialback straight away, no TLS.
    if (settings_.tls == S2sTls::kRequired) return fail("remote-server-not-found", "the peer offers no TLS");
    startDialback();
  }
}

void OutboundStream::onStanza(xml::Element&& e) {
  if (state_ == State::kClosed) return;
  if (e.is("error", ns::kStreams)) {
    return fail("remote-server-not-found", "the peer closed the stream: " + streamErrorText(e));
  }
  if (e.is("features", ns::kStreams) && state_ == State::kAwaitFeatures) return handleFeatures(e);
  if (e.is("proceed", ns::kTls) && state_ == State::kAwaitProceed) {
    state_ = State::kTls;
    host_.resetParser();
    host_.startTls();
    return;
  }
  if (e.is("failure", ns::kTls)) return fail("remote-server-not-found", "the peer refused STARTTLS");
  if (e.ns() == ns::kSasl && state_ == State::kAwaitSasl) {
    if (e.name() == "success") {
      logger("s2s")->debug("{} -> {}: SASL EXTERNAL accepted", local_, remote_);
      state_ = State::kAwaitHeader;
      host_.resetParser();
      host_.write(streamHeader(local_, remote_, {}));
      saslDone_ = true;
      return;
    }
    logger("s2s")->info("{} -> {}: SASL EXTERNAL refused, trying dialback", local_, remote_);
    return startDialback();
  }
  if (e.is("result", kDialbackNs)) return handleDialbackResult(e);
  if (e.is("verify", kDialbackNs)) return handleDialbackVerify(e);
  // Without XEP-0288 the peer has no business sending stanzas on our stream; ignore them.
  logger("s2s")->debug("{} -> {}: ignoring <{}/> on an outbound stream", local_, remote_, e.name());
}

void OutboundStream::handleFeatures(const xml::Element& features) {
  if (saslDone_) return finish("SASL EXTERNAL");
  const xml::Element* starttls = features.child("starttls", ns::kTls);
  if (!secured_ && starttls != nullptr && settings_.tls != S2sTls::kDisabled) {
    state_ = State::kAwaitProceed;
    host_.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    return;
  }
  if (!secured_ && settings_.tls == S2sTls::kRequired) {
    return fail("remote-server-not-found", "the peer does not offer TLS, which our policy requires");
  }
  if (!secured_ && starttls != nullptr && starttls->child("required") != nullptr) {
    return fail("remote-server-not-found", "the peer requires TLS, which our policy disables");
  }
  bool external = false;
  if (const xml::Element* mechanisms = features.child("mechanisms", ns::kSasl)) {
    for (const xml::Element* m : mechanisms->children("mechanism")) external = external || m->text() == "EXTERNAL";
  }
  if (external && secured_ && settings_.saslExternal) {
    state_ = State::kAwaitSasl;
    // XEP-0178 §2: the authorization identity is our domain, which every server accepts.
    host_.write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>" + base64Encode(local_) +
                "</auth>");
    return;
  }
  startDialback();
}

void OutboundStream::startDialback() {
  // Some servers (ejabberd, older Openfire) do dialback without announcing the feature.
  if (!settings_.dialback) {
    return fail("remote-server-not-found", "no authentication method in common (dialback is disabled here)");
  }
  state_ = State::kAwaitDialback;
  host_.write(dialbackResultRequest(local_, remote_,
                                    xmpp::dialbackKey(settings_.dialbackSecret, remote_, local_, streamId_)));
  flushVerifies();
}

void OutboundStream::handleDialbackResult(const xml::Element& result) {
  if (state_ != State::kAwaitDialback || prepared(result.attr("from")) != remote_ ||
      prepared(result.attr("to")) != local_) {
    return;  // XEP-0220 §2.1.4: results that match no request are dropped
  }
  const std::string_view type = result.attr("type");
  if (type == "valid") return finish("dialback");
  if (type == "invalid") return fail("remote-server-not-found", "the peer says our dialback key is invalid");
  fail("remote-server-timeout", "dialback error: " + dialbackErrorCondition(result));
}

void OutboundStream::askVerify(DialbackCheck check) {
  verifyQueue_.push_back(std::move(check));
  if (canVerify()) flushVerifies();
}

bool OutboundStream::canVerify() const {
  return state_ == State::kAwaitDialback || state_ == State::kEstablished;
}

void OutboundStream::flushVerifies() {
  while (!verifyQueue_.empty()) {
    DialbackCheck check = std::move(verifyQueue_.front());
    verifyQueue_.pop_front();
    host_.write(dialbackVerifyRequest(check.local, check.peer, check.streamId, check.key));
    verifySent_.emplace(std::make_tuple(check.peer, check.local, check.streamId), std::move(check));
  }
}

void OutboundStream::handleDialbackVerify(const xml::Element& verify) {
  auto it = verifySent_.find({prepared(verify.attr("from")), prepared(verify.attr("to")), std::string(verify.attr("id"))});
  if (it == verifySent_.end()) return;
  DialbackCheck check = std::move(it->second);
  verifySent_.erase(it);
  const std::string type(verify.attr("type"));
  DialbackOutcome outcome{type == "valid" || type == "invalid" ? type : "error", dialbackErrorCondition(verify)};
  host_.verified(check, outcome);
}

void OutboundStream::finish(std::string_view method) {
  state_ = State::kEstablished;
  logger("s2s")->info("{} -> {}: stream established ({}{})", local_, remote_, method,
                      secured_ ? ", TLS" : ", no TLS");
  flushVerifies();
  host_.established(method);
}

void OutboundStream::sendStanza(xml::Element stanza) {
  if (state_ != State::kEstablished) return;
  host_.write(serializeForServer(std::move(stanza)));
}

void OutboundStream::onStreamClose() {
  if (state_ == State::kClosed) return;
  host_.write("</stream:stream>");
  fail("remote-server-not-found", "the peer closed the stream");
}

void OutboundStream::close() {
  if (state_ == State::kClosed) return;
  host_.write("</stream:stream>");
  fail("remote-server-not-found", "closed");
}

void OutboundStream::fail(std::string_view condition, std::string reason) {
  if (state_ == State::kClosed) return;
  interruptedDuringExternal_ = state_ == State::kAwaitSasl;
  state_ = State::kClosed;
  // Questions we asked for inbound streams will not be answered now.
  for (auto& [key, check] : verifySent_) host_.verified(check, {"error", "remote-connection-failed"});
  for (auto& check : verifyQueue_) host_.verified(check, {"error", "remote-connection-failed"});
  verifySent_.clear();
  verifyQueue_.clear();
  host_.failed(condition, std::move(reason));
}

}  // namespace impd::s2s
