// INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1).
#include "codec/sip/transaction_invite_server.h"

#include <algorithm>

#include "codec/sip/transaction_messages.h"

namespace impd::sip {

void InviteServerTransaction::start(TimePoint now) {
  state_ = TransactionState::Proceeding;
  if (timers().tryingDelay.count() > 0) {
    trying_.start(now, timers().tryingDelay);
    return;
  }
  last_ = tryingFor(ctx_.request);
  send(*last_);
}

void InviteServerTransaction::onRequest(const Message& request, TimePoint now) {
  if (request.method() == "ACK") {
    onAck(request, now);
    return;
  }
  // A retransmitted INVITE: the client did not hear our last response.
  switch (state_) {
    case TransactionState::Proceeding:
    case TransactionState::Completed:
      if (last_) send(*last_);
      return;
    default:
      return;  // Accepted: the TU retransmits its 2xx itself; Confirmed: ACK already seen
  }
}

void InviteServerTransaction::onAck(const Message& ack, TimePoint now) {
  if (state_ == TransactionState::Completed) {
    g_.stop();
    h_.stop();
    // Timer I is zero on reliable transports: no ACK retransmissions will follow.
    if (reliable()) {
      state_ = TransactionState::Terminated;
    } else {
      state_ = TransactionState::Confirmed;
      i_.start(now, timers().t4);
    }
  } else if (state_ == TransactionState::Accepted) {
    // The ACK of a 2xx belongs to the TU (RFC 6026 §7.1). It normally carries a new branch
    // and never gets here, but some UAs reuse the INVITE's.
    ctx_.host->deliverRequest(ack, ctx_.peer, ctx_.key);
  }
}

Result<void> InviteServerTransaction::respond(const Message& response, TimePoint now) {
  const int status = response.status();
  if (state_ == TransactionState::Accepted && status >= 200 && status < 300) {
    send(response);  // the TU retransmitting its 2xx until the ACK arrives (§13.3.1.4)
    return {};
  }
  if (state_ != TransactionState::Proceeding) {
    return makeError("transaction-state", "INVITE server transaction already answered");
  }
  trying_.stop();
  if (status < 200) {
    last_ = response;
  } else if (status < 300) {
    state_ = TransactionState::Accepted;
    l_.start(now, timers().timeout());
  } else {
    state_ = TransactionState::Completed;
    last_ = response;
    if (!reliable()) g_.start(now, timers().t1);
    h_.start(now, timers().timeout());
  }
  send(response);
  return {};
}

std::optional<TimePoint> InviteServerTransaction::nextDeadline() const {
  if (terminated()) return std::nullopt;
  return earliest({trying_.at, g_.at, h_.at, i_.at, l_.at});
}

void InviteServerTransaction::onTimer(TimePoint now) {
  if (terminated()) return;
  if (h_.due(now)) {
    g_.stop();
    h_.stop();
    timeOut();
    return;
  }
  if (i_.due(now) || l_.due(now)) {
    i_.stop();
    l_.stop();
    state_ = TransactionState::Terminated;
    return;
  }
  if (trying_.due(now)) {
    trying_.stop();
    last_ = tryingFor(ctx_.request);
    send(*last_);
  }
  if (g_.due(now)) {
    g_.start(now, std::min(2 * g_.interval, timers().t2));
    send(*last_);
  }
}

}  // namespace impd::sip
