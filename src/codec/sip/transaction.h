#pragma once
// The vocabulary of the RFC 3261 §17 transaction layer: transaction keys, where messages go,
// transaction states and the host interface through which the layer acts. The layer itself is
// in transaction_layer.h and each of the four state machines has its own file; none of them
// does I/O or owns a timer, so the whole layer is tested with a fake host and a FakeClock.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "codec/sip/message.h"

namespace impd::sip {

enum class TransportKind { Udp, Tcp, Tls };

// Where a message came from or is to be sent. The layer reads only `kind` (reliable transports
// switch retransmissions off, §17.1.1.2); the rest is the transport's handle, returned to it
// untouched. A server transaction answers to the TransportRef its request came from, which is
// what §18.2.2 asks (same connection, or the source the transport recorded for the Via).
struct Destination {
  TransportKind kind = TransportKind::Udp;
  std::string host;
  std::uint16_t port = 0;
  std::uint64_t connection = 0;  // the transport's id of a connection; 0 when none

  bool reliable() const { return kind != TransportKind::Udp; }
  friend bool operator==(const Destination&, const Destination&) = default;
};
using TransportRef = Destination;

// Identifies one transaction (§17.1.3, §17.2.3). Opaque text built by transaction_key.h; the
// TU gets it with every delivery so it can tie responses and time-outs to its own state.
struct TransactionKey {
  std::string value;

  bool empty() const { return value.empty(); }
  friend bool operator==(const TransactionKey&, const TransactionKey&) = default;
  friend auto operator<=>(const TransactionKey&, const TransactionKey&) = default;
};

struct TransactionKeyHash {
  std::size_t operator()(const TransactionKey& k) const {
    return std::hash<std::string>{}(k.value);
  }
};

// Union of the states of the four machines. Accepted is RFC 6026's fix to RFC 3261: INVITE
// transactions linger after a 2xx so retransmitted INVITEs are absorbed and retransmitted 2xx
// still reach the TU, instead of the transaction vanishing at once.
enum class TransactionState {
  Calling,     // INVITE client: request sent, nothing heard
  Trying,      // non-INVITE client and server: nothing heard / nothing answered
  Proceeding,  // a provisional response was received or sent
  Accepted,    // INVITE client or server after a 2xx (RFC 6026 Timer M / Timer L)
  Completed,   // final response received or sent; absorbing retransmissions
  Confirmed,   // INVITE server: ACK received for a non-2xx final response
  Terminated,
};
std::string_view toString(TransactionState state);

// What the layer asks of its owner: the transport below and the TU above. Calls are made
// synchronously from receive(), sendRequest(), respond() and onTimer(); the host may call back
// into the layer from inside them.
class TransactionHost {
 public:
  virtual ~TransactionHost() = default;
  // Put `message` on the wire towards `to` (first send, retransmission, response, or ACK).
  virtual void transmit(const Message& message, const Destination& to) = 0;
  // A new request for the TU. An ACK that matches no INVITE server transaction (the ACK of a
  // 2xx, which is its own transaction, §17.1.1.3) arrives with an empty key.
  virtual void deliverRequest(const Message& request, const TransportRef& from,
                              const TransactionKey& key) = 0;
  // A response for a client transaction the TU started with sendRequest().
  virtual void deliverResponse(const Message& response, const TransactionKey& key) = 0;
  // A response that matched no client transaction. The case that matters: a UAS retransmits
  // its 2xx to INVITE until it sees an ACK, after our transaction is gone; the dialog layer
  // must ACK it again (§13.2.2.4).
  virtual void deliverStray(const Message& response, const TransportRef& from) = 0;
  // Timer B or F (no final response), Timer H (no ACK for our final response), or a
  // non-INVITE server transaction the TU never answered.
  virtual void timedOut(const TransactionKey& key, const Message& request) = 0;
  // The transport reported it could not reach the peer (§17.1.4, §17.2.4).
  virtual void transportError(const TransactionKey& key, const Message& request) = 0;
};

}  // namespace impd::sip
