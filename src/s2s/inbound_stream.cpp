#include "s2s/inbound_stream.h"

#include "base/base64.h"
#include "base/log.h"
#include "codec/xmpp/dialback.h"
#include "codec/xmpp/jid.h"
#include "codec/xmpp/namespaces.h"
#include "codec/xmpp/stanza.h"
#include "core/prepared_stanza.h"
#include "s2s/wire.h"

namespace impd::s2s {

namespace ns = xmpp::ns;
using config::S2sTls;

InboundStream::InboundStream(const StreamSettings& settings, const Policy& policy,
                             InboundHost& host, std::string peerLabel)
    : settings_(settings), policy_(policy), host_(host), peerLabel_(std::move(peerLabel)) {}

std::string InboundStream::domainOf(std::string_view text) {
  auto prepared = xmpp::prepareDomain(text);
  return prepared ? *prepared : std::string();
}

void InboundStream::onStreamOpen(const xml::Element& header, std::string_view defaultNs) {
  if (state_ != State::kAwaitHeader) return;
  streamId_ = host_.newStreamId();
  version1_ = header.attr("version") == "1.0";
  const std::string to = domainOf(header.attr("to"));
  const std::string_view fromText = header.attr("from");
  // Servers that predate RFC 6120 leave 'to' out on dialback-only streams; answer as our
  // first domain and let each dialback element name its pair.
  if (!to.empty()) localDomain_ = to;
  host_.write(streamHeader(localDomain_, fromText.empty() ? "" : domainOf(fromText), streamId_, version1_));
  state_ = State::kOpen;
  if (defaultNs != ns::kServer) return fail("invalid-namespace", "a server stream is in jabber:server");
  if (!header.attr("to").empty() && !policy_.isLocal(to)) {
    return fail("host-unknown", "this server does not host " + std::string(header.attr("to")));
  }
  if (!fromText.empty()) {
    std::string from = domainOf(fromText);
    if (from.empty() || policy_.isLocal(from)) return fail("invalid-from");
    if (!policy_.permits(from)) {
      logger("s2s")->info("{}: refusing a stream from {}: federation policy", peerLabel_, from);
      return fail("policy-violation", "this server does not federate with " + from);
    }
    if (!peerDomain_.empty() && from != peerDomain_) return fail("invalid-from", "'from' changed on restart");
    peerDomain_ = std::move(from);
  }
  if (version1_) sendFeatures();
}

bool InboundStream::externalOffered() {
  return secured_ && settings_.saslExternal && !peerDomain_.empty() && !localDomain_.empty() &&
         !authenticated_.contains({peerDomain_, localDomain_}) && host_.certificateValidFor(peerDomain_);
}

void InboundStream::sendFeatures() {
  std::string features = "<stream:features>";
  const bool tlsFirst = !secured_ && settings_.tls == S2sTls::kRequired;
  if (!secured_ && settings_.tls != S2sTls::kDisabled) {
    features += tlsFirst ? "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
                         : "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
  }
  if (!tlsFirst) {
    if (externalOffered()) {
      features += "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism></mechanisms>";
    }
    if (settings_.dialback) features += "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>";
  }
  host_.write(features + "</stream:features>");
}

void InboundStream::onStanza(xml::Element&& e) {
  if (state_ != State::kOpen) return;
  if (e.is("error", ns::kStreams)) {
    logger("s2s")->info("{}: {} ended its stream with an error: {}", peerLabel_, peerDomain_,
                        e.children().empty() ? "?" : e.children().front()->name());
    return endStream();
  }
  if (e.is("starttls", ns::kTls)) return handleStartTls();
  if (e.is("auth", ns::kSasl)) return handleAuth(e);
  if (e.is("result", kDialbackNs)) return handleDialbackResult(e);
  if (e.is("verify", kDialbackNs)) return handleDialbackVerify(e);
  if (e.ns() == ns::kServer && xmpp::stanzaKind(e) != xmpp::StanzaKind::kOther) {
    return handleStanza(std::move(e));
  }
  fail("unsupported-stanza-type", "<" + e.name() + "/> is not understood here");
}

void InboundStream::handleStartTls() {
  if (secured_ || settings_.tls == S2sTls::kDisabled) {
    host_.write("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>");
    state_ = State::kClosed;
    host_.close();
    return;
  }
  host_.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  state_ = State::kTls;
  host_.resetParser();
  host_.startTls();
}

void InboundStream::tlsEstablished() {
  if (state_ != State::kTls) return;
  secured_ = true;
  state_ = State::kAwaitHeader;
}

void InboundStream::handleAuth(const xml::Element& auth) {
  auto failure = [&](std::string_view condition) {
    logger("s2s")->info("{}: SASL EXTERNAL for '{}' refused: {}", peerLabel_, peerDomain_, condition);
    host_.write("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><" + std::string(condition) + "/></failure>");
  };
  if (auth.attr("mechanism") != "EXTERNAL") return failure("invalid-mechanism");
  if (!externalOffered()) return failure("not-authorized");
  // XEP-0178: the authorization identity is empty ("=") or exactly the stream's 'from'.
  const std::string text = auth.text();
  if (!text.empty() && text != "=") {
    auto authzid = base64Decode(text);
    if (!authzid || domainOf(*authzid) != peerDomain_) return failure("invalid-authzid");
  }
  authenticated_.insert({peerDomain_, localDomain_});
  logger("s2s")->info("{}: {} authenticated with SASL EXTERNAL (certificate) for {}", peerLabel_, peerDomain_,
                      localDomain_);
  host_.write("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  state_ = State::kAwaitHeader;
  host_.resetParser();
}

void InboundStream::handleDialbackResult(const xml::Element& result) {
  // A request has no type; typed results belong on streams we initiated.
  if (result.hasAttr("type")) return fail("unsupported-stanza-type", "a typed db:result on an inbound stream");
  const std::string peer = domainOf(result.attr("from"));
  const std::string local = domainOf(result.attr("to"));
  auto refuse = [&](std::string_view condition) {
    logger("s2s")->info("{}: dialback for {} -> {} refused: {}", peerLabel_, result.attr("from"), result.attr("to"),
                        condition);
    host_.write(dialbackResultAnswer(result.attr("to"), result.attr("from"), "error", condition));
  };
  if (!settings_.dialback) return refuse("not-acceptable");
  if (!secured_ && settings_.tls == S2sTls::kRequired) return refuse("policy-violation");
  if (peer.empty() || local.empty()) return refuse("bad-request");
  if (!policy_.isLocal(local)) return refuse("item-not-found");
  if (!policy_.permits(peer)) return refuse("policy-violation");
  if (!peerDomain_.empty() && peer != peerDomain_ && authenticated_.empty() && pending_.empty()) {
    // The first pair on a stream is the one its header announced.
    return refuse("not-acceptable");
  }
  const Pair pair{peer, local};
  if (authenticated_.contains(pair)) {
    host_.write(dialbackResultAnswer(local, peer, "valid"));
    return;
  }
  if (!pending_.insert(pair).second) return;  // the same request again: one check is enough
  logger("s2s")->debug("{}: dialback request {} -> {}, asking {}", peerLabel_, peer, local, peer);
  host_.checkDialback(DialbackCheck{peer, local, streamId_, result.text()});
}

void InboundStream::dialbackChecked(const DialbackCheck& check, const DialbackOutcome& outcome) {
  const Pair pair{check.peer, check.local};
  if (state_ == State::kClosed || pending_.erase(pair) == 0) return;
  if (outcome.type == "valid") {
    authenticated_.insert(pair);
    logger("s2s")->info("{}: {} authenticated with dialback for {}", peerLabel_, check.peer, check.local);
    host_.write(dialbackResultAnswer(check.local, check.peer, "valid"));
    return;
  }
  if (outcome.type == "invalid") {
    logger("s2s")->warn("{}: dialback for {} -> {}: the authoritative server says the key is invalid",
                        peerLabel_, check.peer, check.local);
    host_.write(dialbackResultAnswer(check.local, check.peer, "invalid"));
    // XEP-0220 §2.4: with no pair left authenticated the stream is of no use.
    if (authenticated_.empty() && pending_.empty()) fail("not-authorized", "dialback key invalid");
    return;
  }
  logger("s2s")->info("{}: dialback for {} -> {} could not be checked: {}", peerLabel_, check.peer, check.local,
                      outcome.condition);
  host_.write(dialbackResultAnswer(check.local, check.peer, "error",
                                   outcome.condition.empty() ? "remote-connection-failed" : outcome.condition));
}

void InboundStream::handleDialbackVerify(const xml::Element& verify) {
  // We are the Authoritative Server: recompute the key we would have handed out.
  const std::string_view from = verify.attr("from");  // the Receiving Server
  const std::string_view to = verify.attr("to");      // our domain
  const std::string_view id = verify.attr("id");
  if (verify.hasAttr("type")) return fail("unsupported-stanza-type", "a typed db:verify on an inbound stream");
  if (!secured_ && settings_.tls == S2sTls::kRequired) {
    host_.write(dialbackVerifyAnswer(to, from, id, "error", "policy-violation"));
    return;
  }
  const std::string local = domainOf(to);
  const std::string receiver = domainOf(from);
  if (local.empty() || !policy_.isLocal(local)) {
    host_.write(dialbackVerifyAnswer(to, from, id, "error", "item-not-found"));
    return;
  }
  const bool valid = !receiver.empty() && !id.empty() &&
                     xmpp::verifyDialbackKey(verify.text(), settings_.dialbackSecret, receiver, local, id);
  logger("s2s")->debug("{}: db:verify from {} for {}: {}", peerLabel_, receiver, local, valid ? "valid" : "invalid");
  host_.write(dialbackVerifyAnswer(local, receiver, id, valid ? "valid" : "invalid"));
}

void InboundStream::handleStanza(xml::Element&& stanza) {
  auto from = xmpp::Jid::parse(stanza.attr("from"));
  auto to = xmpp::Jid::parse(stanza.attr("to"));
  if (authenticated_.empty()) return fail("not-authorized", "authenticate before sending stanzas");
  if (!from || !to) return fail("improper-addressing", "s2s stanzas carry a valid 'from' and 'to'");
  if (!authenticated_.contains({from->domain(), to->domain()})) {
    // RFC 6120 §4.9.3.9 / §4.9.3.6: either side of the pair was never authenticated here.
    bool fromKnown = false;
    for (const auto& [peer, local] : authenticated_) fromKnown = fromKnown || peer == from->domain();
    return fail(fromKnown ? "host-unknown" : "invalid-from");
  }
  if (!policy_.permits(from->domain())) return;  // the policy changed since authentication
  core::toClientNamespace(stanza);
  host_.deliver(std::move(stanza));
}

void InboundStream::onStreamClose() { endStream(); }

void InboundStream::endStream() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  host_.write("</stream:stream>");
  host_.close();
}

void InboundStream::fail(std::string_view condition, std::string_view text) {
  if (state_ == State::kClosed) return;
  if (state_ == State::kAwaitHeader) {
    host_.write(streamHeader(localDomain_, {}, streamId_.empty() ? host_.newStreamId() : streamId_));
  }
  logger("s2s")->info("{}: closing inbound stream from '{}': {} {}", peerLabel_, peerDomain_, condition, text);
  state_ = State::kClosed;
  host_.write(xmpp::streamErrorXml(condition, text));
  host_.close();
}

}  // namespace impd::s2s
