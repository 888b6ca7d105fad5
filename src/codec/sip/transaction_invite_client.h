#pragma once
// The INVITE client transaction of RFC 3261 §17.1.1 (Figure 5), with the Accepted state of
// RFC 6026 §7.2: Calling -> Proceeding -> Completed (non-2xx, ACK sent here) or Accepted (2xx,
// which the TU acknowledges itself) -> Terminated.
#include <optional>

#include "codec/sip/transaction_machine.h"

namespace impd::sip {

class InviteClientTransaction final : public ClientTransaction {
 public:
  using ClientTransaction::ClientTransaction;

  void start(TimePoint now) override;
  void onResponse(const Message& response, TimePoint now) override;
  std::optional<TimePoint> nextDeadline() const override;
  void onTimer(TimePoint now) override;

 private:
  void complete(const Message& response, TimePoint now);

  Timer a_;  // request retransmission, unreliable transports only
  Timer b_;  // no response at all: the transaction times out
  Timer d_;  // linger in Completed to re-ACK retransmitted final responses
  Timer m_;  // linger in Accepted to pass retransmitted or forked 2xx responses up
  std::optional<Message> ack_;
};

}  // namespace impd::sip
