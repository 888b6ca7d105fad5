#pragma once
// The non-INVITE server transaction of RFC 3261 §17.2.2 (Figure 8): Trying -> Proceeding ->
// Completed -> Terminated, with Timer J. It never answers on its own (RFC 4320 discourages
// 100 Trying to non-INVITE requests).
#include <optional>

#include "codec/sip/transaction_machine.h"

namespace impd::sip {

class NonInviteServerTransaction final : public ServerTransaction {
 public:
  using ServerTransaction::ServerTransaction;

  void start(TimePoint now) override;
  void onRequest(const Message& request, TimePoint now) override;
  Result<void> respond(const Message& response, TimePoint now) override;
  std::optional<TimePoint> nextDeadline() const override;
  void onTimer(TimePoint now) override;

 private:
  Timer j_;  // linger in Completed to answer retransmitted requests
  // Not in RFC 3261: a TU that never answers would leak the transaction. After 64*T1 the
  // client's Timer F has fired, so no answer can matter any more; we drop it and tell the TU.
  Timer abandon_;
  std::optional<Message> last_;
};

}  // namespace impd::sip
