#pragma once
// The non-INVITE client transaction of RFC 3261 §17.1.2 (Figure 6): Trying -> Proceeding ->
// Completed -> Terminated, with Timer E (retransmit), F (time-out) and K (linger).
#include <optional>

#include "codec/sip/transaction_machine.h"

namespace impd::sip {

class NonInviteClientTransaction final : public ClientTransaction {
 public:
  using ClientTransaction::ClientTransaction;

  void start(TimePoint now) override;
  void onResponse(const Message& response, TimePoint now) override;
  std::optional<TimePoint> nextDeadline() const override;
  void onTimer(TimePoint now) override;

 private:
  Timer e_;  // request retransmission, unreliable transports only
  Timer f_;  // no final response: the transaction times out
  Timer k_;  // linger in Completed to absorb retransmitted responses
};

}  // namespace impd::sip
