// Non-INVITE server transaction (RFC 3261 §17.2.2).
#include "codec/sip/transaction_non_invite_server.h"

namespace impd::sip {

void NonInviteServerTransaction::start(TimePoint now) {
  state_ = TransactionState::Trying;
  abandon_.start(now, timers().timeout());
}

void NonInviteServerTransaction::onRequest(const Message& request, TimePoint now) {
  // Trying: absorbed, the TU is still working. Proceeding/Completed: re-send what we said.
  if ((state_ == TransactionState::Proceeding || state_ == TransactionState::Completed) && last_) {
    send(*last_);
  }
}

Result<void> NonInviteServerTransaction::respond(const Message& response, TimePoint now) {
  if (state_ != TransactionState::Trying && state_ != TransactionState::Proceeding) {
    return makeError("transaction-state", "non-INVITE server transaction already answered");
  }
  last_ = response;
  if (response.status() < 200) {
    state_ = TransactionState::Proceeding;
  } else {
    abandon_.stop();
    // Timer J is zero on reliable transports: the request will not be retransmitted.
    if (reliable()) {
      state_ = TransactionState::Terminated;
    } else {
      state_ = TransactionState::Completed;
      j_.start(now, timers().timeout());
    }
  }
  send(response);
  return {};
}

std::optional<TimePoint> NonInviteServerTransaction::nextDeadline() const {
  if (terminated()) return std::nullopt;
  return earliest({j_.at, abandon_.at});
}

void NonInviteServerTransaction::onTimer(TimePoint now) {
  if (terminated()) return;
  if (abandon_.due(now)) {
    abandon_.stop();
    timeOut();
    return;
  }
  if (j_.due(now)) {
    j_.stop();
    state_ = TransactionState::Terminated;
  }
}

}  // namespace impd::sip
