// The transaction table: matching, creation, deadline index and deferred erasure.
#include "codec/sip/transaction_layer.h"

#include "codec/sip/transaction_invite_client.h"
#include "codec/sip/transaction_invite_server.h"
#include "codec/sip/transaction_key.h"
#include "codec/sip/transaction_non_invite_client.h"
#include "codec/sip/transaction_non_invite_server.h"

namespace impd::sip {

// The host may call back into the layer from inside a machine (a TU answering from within
// deliverRequest). Erasing a transaction then could free the object whose method is still on
// the stack, so terminated transactions are only erased when the outermost call returns.
class TransactionLayer::Reentry {
 public:
  explicit Reentry(TransactionLayer& layer) : layer_(layer) { ++layer_.depth_; }
  ~Reentry() {
    if (--layer_.depth_ == 0) layer_.sweep();
  }
  Reentry(const Reentry&) = delete;
  Reentry& operator=(const Reentry&) = delete;

 private:
  TransactionLayer& layer_;
};

TransactionLayer::TransactionLayer(TransactionHost& host, const Clock& clock, TimerConfig timers)
    : host_(host), clock_(clock), timers_(timers) {}

TransactionLayer::~TransactionLayer() = default;

TransactionContext TransactionLayer::context(TransactionKey key, const Destination& peer,
                                             const Message& request) {
  return TransactionContext{&host_, timers_, std::move(key), peer, request};
}

Result<void> TransactionLayer::receive(const Message& message, const TransportRef& from) {
  Reentry guard(*this);
  return message.isRequest() ? receiveRequest(message, from) : receiveResponse(message, from);
}

Result<void> TransactionLayer::receiveRequest(const Message& request, const TransportRef& from) {
  auto key = serverKeyOf(request);
  if (!key) return key.error();
  const TimePoint now = clock_.now();
  if (Entry* entry = find(*key); entry && !entry->tx->terminated()) {
    static_cast<ServerTransaction&>(*entry->tx).onRequest(request, now);
    touch(*key);
    return {};
  }
  if (request.method() == "ACK") {
    // Matches no INVITE server transaction: the ACK of a 2xx, which is the TU's business.
    host_.deliverRequest(request, from, TransactionKey{});
    return {};
  }
  std::unique_ptr<ServerTransaction> tx;
  if (request.method() == "INVITE") {
    tx = std::make_unique<InviteServerTransaction>(context(*key, from, request));
  } else {
    tx = std::make_unique<NonInviteServerTransaction>(context(*key, from, request));
  }
  ServerTransaction& created = *tx;
  insert(*key, std::move(tx));
  created.start(now);
  touch(*key);
  host_.deliverRequest(request, from, *key);
  return {};
}

Result<void> TransactionLayer::receiveResponse(const Message& response, const TransportRef& from) {
  auto key = clientKeyOf(response);
  if (!key) return key.error();
  Entry* entry = find(*key);
  if (!entry || entry->tx->terminated()) {
    host_.deliverStray(response, from);
    return {};
  }
  static_cast<ClientTransaction&>(*entry->tx).onResponse(response, clock_.now());
  touch(*key);
  return {};
}

void TransactionLayer::transportFailed(const Destination& peer) {
  Reentry guard(*this);
  std::vector<TransactionKey> hit;
  for (const auto& [key, entry] : table_) {
    if (!entry.tx->terminated() && entry.tx->peer() == peer) hit.push_back(key);
  }
  for (const auto& key : hit) {
    Entry* entry = find(key);
    if (!entry) continue;
    entry->tx->onTransportError();
    touch(key);
  }
}

Result<TransactionKey> TransactionLayer::sendRequest(const Message& request,
                                                     const Destination& to) {
  Reentry guard(*this);
  if (!request.isRequest()) return makeError("bad-request", "sendRequest() needs a request");
  if (request.method() == "ACK") {
    return makeError("bad-request", "the ACK of a 2xx has no transaction: use sendStateless()");
  }
  auto key = clientKeyOf(request);
  if (!key) return key.error();
  if (Entry* entry = find(*key); entry && !entry->tx->terminated()) {
    return makeError("duplicate-transaction", "a transaction with this branch is running");
  }
  std::unique_ptr<ClientTransaction> tx;
  if (request.method() == "INVITE") {
    tx = std::make_unique<InviteClientTransaction>(context(*key, to, request));
  } else {
    tx = std::make_unique<NonInviteClientTransaction>(context(*key, to, request));
  }
  ClientTransaction& created = *tx;
  insert(*key, std::move(tx));
  created.start(clock_.now());
  touch(*key);
  return std::move(*key);
}

Result<void> TransactionLayer::respond(const Message& response) {
  Reentry guard(*this);
  if (!response.isResponse()) return makeError("bad-request", "respond() needs a response");
  auto key = serverKeyOf(response);
  if (!key) return key.error();
  Entry* entry = find(*key);
  if (!entry || entry->tx->terminated()) {
    return makeError("no-transaction", "no server transaction for this response");
  }
  auto result = static_cast<ServerTransaction&>(*entry->tx).respond(response, clock_.now());
  touch(*key);
  return result;
}

void TransactionLayer::sendStateless(const Message& message, const Destination& to) {
  host_.transmit(message, to);
}

std::optional<TransactionKey> TransactionLayer::cancelTarget(const Message& cancel) const {
  auto key = serverKeyOf(cancel, "INVITE");
  if (!key) return std::nullopt;
  const auto it = table_.find(*key);
  if (it == table_.end() || it->second.tx->terminated()) return std::nullopt;
  return std::move(*key);
}

std::optional<TransactionState> TransactionLayer::state(const TransactionKey& key) const {
  const auto it = table_.find(key);
  if (it == table_.end()) return std::nullopt;
  return it->second.tx->state();
}

std::optional<TimePoint> TransactionLayer::nextDeadline() const {
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.begin()->first;
}

void TransactionLayer::onTimer(TimePoint now) {
  Reentry guard(*this);
  // Collected first: firing a timer may add or remove index entries.
  std::vector<TransactionKey> due;
  for (auto it = deadlines_.begin(); it != deadlines_.end() && it->first <= now; ++it) {
    due.push_back(it->second);
  }
  for (const auto& key : due) {
    Entry* entry = find(key);
    if (!entry || entry->tx->terminated()) continue;
    entry->tx->onTimer(now);
    touch(key);
  }
}

TransactionLayer::Entry* TransactionLayer::find(const TransactionKey& key) {
  const auto it = table_.find(key);
  return it == table_.end() ? nullptr : &it->second;
}

void TransactionLayer::insert(const TransactionKey& key, std::unique_ptr<Transaction> tx) {
  auto [it, fresh] = table_.try_emplace(key);
  Entry& entry = it->second;
  if (!fresh) {
    // A terminated transaction with the same key not swept yet; its code may still be on
    // the stack, so it is kept alive until sweep().
    if (entry.scheduled) deadlines_.erase({*entry.scheduled, key});
    entry.scheduled.reset();
    replaced_.push_back(std::move(entry.tx));
  }
  entry.tx = std::move(tx);
}

void TransactionLayer::touch(const TransactionKey& key) {
  Entry* entry = find(key);
  if (!entry) return;
  const bool over = entry->tx->terminated();
  const std::optional<TimePoint> next = over ? std::nullopt : entry->tx->nextDeadline();
  if (next != entry->scheduled) {
    if (entry->scheduled) deadlines_.erase({*entry->scheduled, key});
    if (next) deadlines_.insert({*next, key});
    entry->scheduled = next;
  }
  if (over) dead_.push_back(key);
}

void TransactionLayer::sweep() {
  // Destructors of transactions do not call the host, so nothing here re-enters.
  for (const auto& key : dead_) {
    const auto it = table_.find(key);
    if (it == table_.end() || !it->second.tx->terminated()) continue;
    if (it->second.scheduled) deadlines_.erase({*it->second.scheduled, key});
    table_.erase(it);
  }
  dead_.clear();
  replaced_.clear();
}

}  // namespace impd::sip
