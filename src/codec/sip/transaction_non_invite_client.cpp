// Non-INVITE client transaction (RFC 3261 §17.1.2).
#include "codec/sip/transaction_non_invite_client.h"

#include <algorithm>

namespace impd::sip {

void NonInviteClientTransaction::start(TimePoint now) {
  state_ = TransactionState::Trying;
  if (!reliable()) e_.start(now, timers().t1);
  f_.start(now, timers().timeout());
  send(ctx_.request);
}

void NonInviteClientTransaction::onResponse(const Message& response, TimePoint now) {
  if (state_ != TransactionState::Trying && state_ != TransactionState::Proceeding) {
    return;  // Completed absorbs retransmitted responses; Terminated hears nothing
  }
  if (response.status() < 200) {
    // Unlike INVITE, a provisional response does not stop retransmissions or Timer F: a
    // non-INVITE request must still finish within 64*T1.
    state_ = TransactionState::Proceeding;
  } else {
    e_.stop();
    f_.stop();
    // Timer K is zero on reliable transports.
    if (reliable()) {
      state_ = TransactionState::Terminated;
    } else {
      state_ = TransactionState::Completed;
      k_.start(now, timers().t4);
    }
  }
  ctx_.host->deliverResponse(response, ctx_.key);
}

std::optional<TimePoint> NonInviteClientTransaction::nextDeadline() const {
  if (terminated()) return std::nullopt;
  return earliest({e_.at, f_.at, k_.at});
}

void NonInviteClientTransaction::onTimer(TimePoint now) {
  if (terminated()) return;
  if (f_.due(now)) {
    e_.stop();
    f_.stop();
    timeOut();
    return;
  }
  if (k_.due(now)) {
    k_.stop();
    state_ = TransactionState::Terminated;
    return;
  }
  if (e_.due(now)) {
    // Trying: double up to T2. Proceeding: the server is alive but slow, retry every T2.
    const Duration next =
        state_ == TransactionState::Trying ? std::min(2 * e_.interval, timers().t2) : timers().t2;
    e_.start(now, next);
    send(ctx_.request);
  }
}

}  // namespace impd::sip
