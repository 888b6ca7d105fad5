#pragma once
// The interface shared by the four transaction state machines, so the layer can own them in
// one table. A machine is driven by three kinds of event: a message from the network, a call
// from the TU, and onTimer(now). Every machine changes its state before it calls out to the
// host, because the host may call straight back into it (a loopback transport, a TU that
// answers from inside deliverRequest).
#include <optional>
#include <utility>

#include "base/result.h"
#include "codec/sip/message.h"
#include "codec/sip/timers.h"
#include "codec/sip/transaction.h"

namespace impd::sip {

struct TransactionContext {
  TransactionHost* host = nullptr;  // not owned; outlives the layer and its machines
  TimerConfig timers;
  TransactionKey key;
  Destination peer;  // where requests (client) or responses (server) are sent
  Message request;   // the request that created the transaction
};

class Transaction {
 public:
  explicit Transaction(TransactionContext context) : ctx_(std::move(context)) {}
  virtual ~Transaction() = default;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  TransactionState state() const { return state_; }
  bool terminated() const { return state_ == TransactionState::Terminated; }
  const TransactionKey& key() const { return ctx_.key; }
  const Destination& peer() const { return ctx_.peer; }
  const Message& request() const { return ctx_.request; }

  virtual std::optional<TimePoint> nextDeadline() const = 0;
  virtual void onTimer(TimePoint now) = 0;

  // §17.1.4 and §17.2.4: a transport failure ends the transaction and is reported to the TU.
  void onTransportError() {
    if (terminated()) return;
    state_ = TransactionState::Terminated;
    ctx_.host->transportError(ctx_.key, ctx_.request);
  }

 protected:
  void send(const Message& message) { ctx_.host->transmit(message, ctx_.peer); }
  bool reliable() const { return ctx_.peer.reliable(); }
  const TimerConfig& timers() const { return ctx_.timers; }
  void timeOut() {
    state_ = TransactionState::Terminated;
    ctx_.host->timedOut(ctx_.key, ctx_.request);
  }

  TransactionContext ctx_;
  TransactionState state_ = TransactionState::Trying;
};

class ClientTransaction : public Transaction {
 public:
  using Transaction::Transaction;
  // Sends the request for the first time and starts the machine's timers.
  virtual void start(TimePoint now) = 0;
  virtual void onResponse(const Message& response, TimePoint now) = 0;
};

class ServerTransaction : public Transaction {
 public:
  using Transaction::Transaction;
  // Called once, before the request is delivered to the TU.
  virtual void start(TimePoint now) = 0;
  // A retransmission of the request, or (INVITE only) the ACK for our final response.
  virtual void onRequest(const Message& request, TimePoint now) = 0;
  // A response from the TU. Fails when the state allows no (more) responses.
  virtual Result<void> respond(const Message& response, TimePoint now) = 0;
};

}  // namespace impd::sip
