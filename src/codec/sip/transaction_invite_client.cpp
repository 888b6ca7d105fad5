// INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §7.2).
#include "codec/sip/transaction_invite_client.h"

#include "codec/sip/transaction_messages.h"

namespace impd::sip {

void InviteClientTransaction::start(TimePoint now) {
  state_ = TransactionState::Calling;
  if (!reliable()) a_.start(now, timers().t1);
  b_.start(now, timers().timeout());
  send(ctx_.request);
}

void InviteClientTransaction::onResponse(const Message& response, TimePoint now) {
  const int status = response.status();
  switch (state_) {
    case TransactionState::Calling:
    case TransactionState::Proceeding:
      if (status < 200) {
        // Once anything is heard the UAS is alive: stop retransmitting, and Timer B no longer
        // applies (an INVITE may ring for as long as the callee lets it).
        state_ = TransactionState::Proceeding;
        a_.stop();
        b_.stop();
      } else if (status < 300) {
        state_ = TransactionState::Accepted;
        a_.stop();
        b_.stop();
        m_.start(now, timers().timeout());
      } else {
        complete(response, now);
        return;
      }
      ctx_.host->deliverResponse(response, ctx_.key);
      return;
    case TransactionState::Accepted:
      // Retransmitted 2xx, or a 2xx from another fork: the TU (dialog layer) ACKs each.
      if (status >= 200 && status < 300) ctx_.host->deliverResponse(response, ctx_.key);
      return;
    case TransactionState::Completed:
      if (status >= 300) {
        send(*ack_);  // the UAS did not see our ACK
      } else if (status >= 200) {
        ctx_.host->deliverResponse(response, ctx_.key);  // a late 2xx from another fork
      }
      return;
    default:
      return;
  }
}

void InviteClientTransaction::complete(const Message& response, TimePoint now) {
  state_ = TransactionState::Completed;
  a_.stop();
  b_.stop();
  ack_ = ackForNon2xx(ctx_.request, response);
  // Timer D is zero on reliable transports: nothing will be retransmitted to us.
  if (reliable()) {
    state_ = TransactionState::Terminated;
  } else {
    d_.start(now, timers().timerD);
  }
  send(*ack_);
  ctx_.host->deliverResponse(response, ctx_.key);
}

std::optional<TimePoint> InviteClientTransaction::nextDeadline() const {
  if (terminated()) return std::nullopt;
  return earliest({a_.at, b_.at, d_.at, m_.at});
}

void InviteClientTransaction::onTimer(TimePoint now) {
  if (terminated()) return;
  if (b_.due(now)) {
    a_.stop();
    b_.stop();
    timeOut();
    return;
  }
  if (d_.due(now) || m_.due(now)) {
    d_.stop();
    m_.stop();
    state_ = TransactionState::Terminated;
    return;
  }
  if (a_.due(now)) {
    // Timer A doubles without the T2 cap (§17.1.1.2): 0.5, 1, 2, 4, 8, 16 s before Timer B.
    a_.start(now, 2 * a_.interval);
    send(ctx_.request);
  }
}

}  // namespace impd::sip
