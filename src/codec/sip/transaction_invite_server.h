#pragma once
// The INVITE server transaction of RFC 3261 §17.2.1 (Figure 7) with RFC 6026's Accepted state:
// Proceeding -> Completed (non-2xx sent) -> Confirmed (ACK received) -> Terminated, or
// Proceeding -> Accepted (2xx sent) -> Terminated. It answers 100 Trying itself when the TU is
// slower than TimerConfig::tryingDelay.
#include <optional>

#include "codec/sip/transaction_machine.h"

namespace impd::sip {

class InviteServerTransaction final : public ServerTransaction {
 public:
  using ServerTransaction::ServerTransaction;

  void start(TimePoint now) override;
  void onRequest(const Message& request, TimePoint now) override;
  Result<void> respond(const Message& response, TimePoint now) override;
  std::optional<TimePoint> nextDeadline() const override;
  void onTimer(TimePoint now) override;

 private:
  void onAck(const Message& ack, TimePoint now);

  Timer trying_;                 // send 100 Trying if the TU has not answered by then
  Timer g_;                      // final response retransmission, unreliable transports only
  Timer h_;                      // no ACK for our final response
  Timer i_;                      // linger in Confirmed to absorb retransmitted ACKs
  Timer l_;                      // linger in Accepted to absorb retransmitted INVITEs
  std::optional<Message> last_;  // the last response sent, re-sent on a retransmission
};

}  // namespace impd::sip
