// Instant messages across the gateway. Lync and OCS talk in IM sessions: the first message
// opens an INVITE dialog (with the text riding in ms-text-format), later ones are MESSAGEs
// inside it, either side may send, and ten idle minutes end it with BYE. Other SIMPLE peers
// get RFC 3428 page-mode MESSAGEs. Whichever way a message goes, a failure comes back in the
// other protocol: a SIP error response becomes the XMPP error the client shows (RFC 7247), and
// an XMPP error for a delivered message becomes the SIP final response.
#include "base/log.h"
#include "codec/sip/dialog_id.h"
#include "codec/xmpp/stanza.h"
#include "gateway/address_map.h"
#include "gateway/error_translation.h"
#include "gateway/group_chat_refusal.h"
#include "gateway/inbound_im_invite.h"
#include "gateway/outbound_im_invite.h"
#include "gateway/sip_common.h"
#include "gateway/sip_to_xmpp_message.h"
#include "gateway/xmpp_common.h"
#include "gateway/xmpp_to_sip_message.h"
#include "sip_gateway/sip_gateway.h"

namespace impd::sip_gateway {

namespace {

bool failed(const sip::ClientOutcome& outcome) {
  if (!outcome.final) return false;
  return outcome.kind != sip::ClientOutcome::Kind::kResponse || !outcome.response ||
         outcome.response->status() >= 300;
}

// The XMPP condition for a request that got no response at all.
std::string_view conditionWithoutResponse(const sip::ClientOutcome& outcome) {
  switch (outcome.kind) {
    case sip::ClientOutcome::Kind::kTimeout: return "remote-server-timeout";
    case sip::ClientOutcome::Kind::kNoRoute:
    case sip::ClientOutcome::Kind::kTransportError: return "remote-server-not-found";
    default: return "service-unavailable";
  }
}

}  // namespace

void SipGateway::messageToSip(xml::Element message) {
  auto from = xmpp::Jid::parse(message.attr("from"));
  auto to = xmpp::Jid::parse(message.attr("to"));
  if (!from || !to) return;
  if (auto refusal = gateway::refuseGroupChatToSip(message)) {
    toXmpp({std::move(*refusal)});
    return;
  }
  const Peer& peer = peerOf(to->domain());
  const bool hasBody = gateway::messageBody(message).has_value();
  const auto typing = gateway::typingStateFor(message);
  if (!peer.sessionMode) {
    if (hasBody) {
      auto page = gateway::buildPageModeMessage(message, deps_.random, {callIdHost_});
      if (!page) {
        toXmpp({xmpp::makeErrorReply(message, page.error().condition == "no-body" ? "bad-request" : page.error().condition)});
        return;
      }
      sendRequest(std::move(*page), to->domain(), [this, message](const sip::ClientOutcome& outcome) {
        if (failed(outcome)) failMessage(message, outcome);
      });
    } else if (typing) {
      auto notice = gateway::buildPageModeTyping(from->bare(), to->bare(), *typing, deps_.random, {callIdHost_});
      if (notice) sendRequest(std::move(*notice), to->domain());
    }
    return;
  }

  std::string key;
  ImSession* session = sessionFor(from->bare(), to->bare(), &key);
  if (!hasBody) {
    const auto state = gateway::chatStateOf(message);
    if (session != nullptr && session->established && state == gateway::ChatState::gone) {
      endSession(key, true);  // XEP-0085 <gone/>: the user closed the conversation
    } else if (session != nullptr && session->established && typing) {
      sendRequest(gateway::buildSessionTyping(*session->dialog, *typing, gateway::typingStyleFor(peer.system)),
                  to->domain());
    }
    return;  // typing alone does not open a session
  }
  if (session == nullptr) {
    openSession(from->bare(), to->bare(), std::move(message));
  } else if (!session->established) {
    session->queued.push_back(std::move(message));
  } else {
    sendInSession(key, *session, message);
  }
}

void SipGateway::openSession(const xmpp::Jid& local, const xmpp::Jid& remote, xml::Element first) {
  auto text = gateway::outboundTextOf(first);
  if (!text) {
    toXmpp({xmpp::makeErrorReply(first, text.error().condition)});
    return;
  }
  gateway::ImInviteConfig config{contactFor(remote.domain()), callIdHost_, sdp_};
  auto invite = gateway::buildImInvite(local, remote, config, deps_.random, text->body);
  if (!invite) {
    toXmpp({xmpp::makeErrorReply(first, invite.error().condition)});
    return;
  }
  const std::string key = dialogKey(invite->callId, invite->localTag);
  ImSession session{local, remote};
  session.invite = invite->request;
  session.first = std::move(first);
  session.firstInInvite = invite->firstMessageInInvite;
  session.lastUse = deps_.clock.now();
  sessions_.emplace(key, std::move(session));
  sessionByPair_[{local.bareStr(), remote.bareStr()}] = key;
  sendRequest(std::move(invite->request), remote.domain(),
              [this, key](const sip::ClientOutcome& outcome) { onInviteOutcome(key, outcome); });
}

void SipGateway::onInviteOutcome(std::string key, const sip::ClientOutcome& outcome) {
  if (!outcome.final) return;
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return;
  ImSession& s = it->second;
  if (failed(outcome)) {
    failMessage(s.first, outcome);
    for (const xml::Element& queued : s.queued) failMessage(queued, outcome);
    endSession(key, false);
    return;
  }
  const sip::Message& ok = *outcome.response;
  auto dialog = sip::Dialog::asUac(s.invite, ok, outcome.destination.kind == sip::TransportKind::Tls);
  if (!dialog) {
    logger("sip")->warn("IM session {} -> {}: unusable 2xx to INVITE: {}", s.local.str(), s.remote.str(),
                        dialog.error().message);
    failMessage(s.first, outcome);
    endSession(key, false);
    return;
  }
  s.dialog = std::move(*dialog);
  s.established = true;
  deps_.sip.sendStateless(s.dialog->createAck(1), outcome.destination);
  // The piggy-backed first message was shown only if the callee says so (ms-text-format in
  // its Supported); otherwise it goes again as the session's first MESSAGE.
  if (!(s.firstInInvite && gateway::calleeDisplayedFirstMessage(ok))) sendInSession(key, s, s.first);
  std::vector<xml::Element> queued = std::move(s.queued);
  s.queued.clear();
  for (const xml::Element& message : queued) sendInSession(key, s, message);
}

void SipGateway::sendInSession(const std::string& key, ImSession& session, const xml::Element& message) {
  auto text = gateway::outboundTextOf(message);
  if (!text) {
    toXmpp({xmpp::makeErrorReply(message, text.error().condition)});
    return;
  }
  session.lastUse = deps_.clock.now();
  sendRequest(gateway::buildSessionMessage(*session.dialog, *text), session.remote.domain(),
              [this, key, message](const sip::ClientOutcome& outcome) {
                if (!failed(outcome)) return;
                failMessage(message, outcome);
                // 481: the peer ended the session without a BYE we saw; the next message opens
                // a new one.
                if (outcome.response && outcome.response->status() == 481) endSession(key, false);
              });
}

void SipGateway::failMessage(const xml::Element& message, const sip::ClientOutcome& outcome) {
  if (message.attr("type") == "error") return;
  if (outcome.kind == sip::ClientOutcome::Kind::kResponse && outcome.response) {
    toXmpp({gateway::xmppErrorForSipResponse(message, *outcome.response)});
  } else {
    toXmpp({xmpp::makeErrorReply(message, conditionWithoutResponse(outcome), outcome.detail)});
  }
}

void SipGateway::onInvite(sip::IncomingRequest request) {
  const sip::Message& m = request.message;
  const std::string toTag = gateway::newTag(deps_.random);
  auto parties = gateway::partiesOf(m);
  if (parties && !deps_.im.isLocalDomain(parties->target.domain())) {
    deps_.sip.respond(gateway::responseTo(m, 404, toTag));
    return;
  }
  const std::string contact = parties ? contactFor(parties->sender.domain()) : std::string();
  gateway::InboundInviteConfig config{contact, sdp_};
  gateway::InviteDecision decision = gateway::decideInboundInvite(m, toTag, config);
  if (!decision.accepted || !parties) {
    deps_.sip.respond(std::move(decision.response));
    return;
  }
  auto dialog = sip::Dialog::asUas(m, toTag, contact, sip::Dialog::State::Confirmed, request.peer.tls);
  if (!dialog) {
    deps_.sip.respond(gateway::responseTo(m, 400, toTag));
    return;
  }
  const std::string key = dialogKey(dialog->id().callId, toTag);
  // A newer session between the same two replaces the older one (Lync opens one per window).
  if (std::string older; sessionFor(parties->target, parties->sender, &older) != nullptr) {
    endSession(older, false);
  }
  ImSession session{parties->target, parties->sender};
  session.dialog = std::move(*dialog);
  session.established = true;
  session.lastUse = deps_.clock.now();
  sessions_.emplace(key, std::move(session));
  sessionByPair_[{parties->target.bareStr(), parties->sender.bareStr()}] = key;
  if (!decision.firstMessage) {
    deps_.sip.respond(std::move(decision.response));
    return;
  }
  // The first message decides the INVITE's answer: a user XMPP cannot reach refuses the
  // session, as Lync expects when it delivers the first message this way.
  deliverAndAnswer(m, std::move(*decision.firstMessage), toTag, std::move(decision.response),
                   [this, key] { endSession(key, false); });
}

void SipGateway::onInSession(sip::IncomingRequest request) {
  const sip::Message& m = request.message;
  auto id = sip::dialogIdOfRequest(m);
  auto it = id ? sessions_.find(dialogKey(id->callId, id->localTag)) : sessions_.end();
  if (it == sessions_.end()) {
    deps_.sip.respond(gateway::responseTo(m, 481));
    return;
  }
  const std::string key = it->first;
  ImSession& s = it->second;
  if (!s.dialog || !s.dialog->acceptsRequest(m)) {
    deps_.sip.respond(gateway::responseTo(m, 500));
    return;
  }
  s.lastUse = deps_.clock.now();
  const std::string& method = m.method();
  if (method == "MESSAGE") {
    auto stanza = gateway::translateSipMessage(m);
    if (!stanza) {
      deps_.sip.respond(gateway::sipRefusalFor(m, stanza.error()));
    } else if (!*stanza) {
      deps_.sip.respond(gateway::responseTo(m, 200));
    } else {
      deliverAndAnswer(m, std::move(**stanza));
    }
  } else if (method == "INFO") {
    auto stanza = gateway::translateSipInfo(m);
    if (stanza && *stanza) toXmpp({std::move(**stanza)});
    deps_.sip.respond(gateway::responseTo(m, 200));
  } else if (method == "BYE") {
    if (auto gone = gateway::translateSipBye(m)) toXmpp({std::move(*gone)});
    deps_.sip.respond(gateway::responseTo(m, 200));
    endSession(key, false);
  } else {
    // A re-INVITE (Lync asks to add audio or a third party): nothing but text here.
    deps_.sip.respond(gateway::responseTo(m, method == "INVITE" ? 488 : 405));
  }
}

void SipGateway::onPageMessage(sip::IncomingRequest request) {
  const sip::Message& m = request.message;
  const std::string toTag = gateway::newTag(deps_.random);
  auto stanza = gateway::translateSipMessage(m);
  if (!stanza) {
    deps_.sip.respond(gateway::sipRefusalFor(m, stanza.error(), toTag));
    return;
  }
  if (!*stanza) {
    deps_.sip.respond(gateway::responseTo(m, 200, toTag));
    return;
  }
  auto to = xmpp::Jid::parse((*stanza)->attr("to"));
  if (!to || !deps_.im.isLocalDomain(to->domain())) {
    deps_.sip.respond(gateway::responseTo(m, 404, toTag));
    return;
  }
  deliverAndAnswer(m, std::move(**stanza), toTag);
}

void SipGateway::endSession(const std::string& key, bool sendBye) {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return;
  ImSession& s = it->second;
  if (sendBye && s.dialog) sendRequest(s.dialog->createRequest("BYE"), s.remote.domain());
  auto pair = sessionByPair_.find({s.local.bareStr(), s.remote.bareStr()});
  if (pair != sessionByPair_.end() && pair->second == key) sessionByPair_.erase(pair);
  sessions_.erase(it);
}

void SipGateway::tickSessions(TimePoint now) {
  std::vector<std::string> idle;
  for (const auto& [key, s] : sessions_) {
    if (s.established && now - s.lastUse >= options_.imIdle) idle.push_back(key);
  }
  for (const std::string& key : idle) endSession(key, true);
}

SipGateway::ImSession* SipGateway::sessionFor(const xmpp::Jid& local, const xmpp::Jid& remote, std::string* key) {
  auto pair = sessionByPair_.find({local.bareStr(), remote.bareStr()});
  if (pair == sessionByPair_.end()) return nullptr;
  auto it = sessions_.find(pair->second);
  if (it == sessions_.end()) return nullptr;
  if (key != nullptr) *key = it->first;
  return &it->second;
}

}  // namespace impd::sip_gateway
