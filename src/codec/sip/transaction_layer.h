#pragma once
// The transaction layer: owns every client and server transaction keyed by its matching key,
// routes incoming messages to them (or creates server transactions), and keeps one ordered
// index of their deadlines so the owner arms a single real timer for nextDeadline() and calls
// onTimer(now). Everything else it does goes through TransactionHost.
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "codec/sip/message.h"
#include "codec/sip/timers.h"
#include "codec/sip/transaction.h"
#include "codec/sip/transaction_machine.h"

namespace impd::sip {

class TransactionLayer {
 public:
  // `host` and `clock` must outlive the layer.
  TransactionLayer(TransactionHost& host, const Clock& clock, TimerConfig timers = {});
  ~TransactionLayer();
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;

  // From the transport: a parsed message. Requests create or hit a server transaction;
  // responses hit a client transaction or go to the TU as stray. Errors ("bad-request") when
  // the message cannot be matched at all (no usable Via or CSeq); the transport answers 400
  // to such a request, or drops it.
  Result<void> receive(const Message& message, const TransportRef& from);
  // From the transport: `peer` cannot be reached. Every transaction talking to it ends.
  void transportFailed(const Destination& peer);

  // From the TU: start a client transaction. The request must carry a top Via with an
  // RFC 3261 branch, unique to this transaction. An ACK for a 2xx is no transaction: send it
  // with sendStateless().
  Result<TransactionKey> sendRequest(const Message& request, const Destination& to);
  // From the TU: a response for the server transaction it belongs to, found from the
  // response's Via and CSeq (copied from the request as §8.2.6.2 requires).
  Result<void> respond(const Message& response);
  // From the TU: a message outside any transaction (ACK of a 2xx, a 2xx retransmitted by the
  // UAS core, a stateless reply).
  void sendStateless(const Message& message, const Destination& to);

  // The INVITE server transaction a received CANCEL names (§9.2), if it still exists. The TU
  // answers the CANCEL 200 and that INVITE 487, or the CANCEL 481 when there is none.
  std::optional<TransactionKey> cancelTarget(const Message& cancel) const;

  std::optional<TransactionState> state(const TransactionKey& key) const;
  std::size_t size() const { return table_.size(); }

  std::optional<TimePoint> nextDeadline() const;
  // Fires every deadline at or before `now`.
  void onTimer(TimePoint now);

 private:
  struct Entry {
    std::unique_ptr<Transaction> tx;
    std::optional<TimePoint> scheduled;  // its key in deadlines_, if any
  };
  class Reentry;  // counts nested calls so erasure waits for the outermost one

  TransactionContext context(TransactionKey key, const Destination& peer, const Message& request);
  Entry* find(const TransactionKey& key);
  void insert(const TransactionKey& key, std::unique_ptr<Transaction> tx);
  Result<void> receiveRequest(const Message& request, const TransportRef& from);
  Result<void> receiveResponse(const Message& response, const TransportRef& from);
  void touch(const TransactionKey& key);  // re-index its deadline after it ran
  void sweep();                           // erase terminated transactions

  TransactionHost& host_;
  const Clock& clock_;
  TimerConfig timers_;
  std::unordered_map<TransactionKey, Entry, TransactionKeyHash> table_;
  std::set<std::pair<TimePoint, TransactionKey>> deadlines_;
  std::vector<TransactionKey> dead_;                    // terminated, awaiting sweep()
  std::vector<std::unique_ptr<Transaction>> replaced_;  // superseded while still running
  int depth_ = 0;
};

}  // namespace impd::sip
