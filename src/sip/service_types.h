#pragma once
// The vocabulary of the SIP runtime's API (sip_service.h): what a request handler is given,
// what a client request comes back with, and the options of the service.
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "codec/sip/message.h"
#include "codec/sip/timers.h"
#include "codec/sip/transaction.h"

namespace impd::sip {

// Who sent an admitted request.
struct PeerInfo {
  TransportKind transport = TransportKind::Udp;
  std::string address;  // the peer's IP
  std::uint16_t port = 0;
  // The federated domain the request was admitted for; empty when it passed without being
  // authenticated (OPTIONS, or a request inside a dialog the layer above vouched for).
  std::string domain;
  bool tls = false;
};

struct IncomingRequest {
  Message message;     // with received/rport stamped into its top Via
  TransactionKey key;  // empty for the ACK of a 2xx (no transaction, nothing to answer)
  TransportRef from;   // where responses and in-dialog requests to this peer can go
  PeerInfo peer;
};

struct ClientOutcome {
  enum class Kind {
    kResponse,        // `response` holds a response (provisional when !final)
    kTimeout,         // Timer B/F: no final response
    kTransportError,  // the connection failed or closed
    kNoRoute,         // nothing to send it to: DNS had no target, or no target answered
    kRefused,         // not sent: not a federated domain, malformed request, shutting down
  };
  Kind kind = Kind::kResponse;
  bool final = true;
  std::optional<Message> response;
  TransactionKey key;
  Destination destination;  // where it went: for the ACK of a 2xx, a CANCEL, in-dialog requests
  std::string detail;       // why, for kinds other than kResponse
};

using RequestHandler = std::function<void(IncomingRequest request)>;
using CancelHandler = std::function<void(const TransactionKey& invite, const Message& cancel)>;
using StrayHandler = std::function<void(const Message& response, const TransportRef& from)>;
using ServerTimeoutHandler = std::function<void(const TransactionKey& key, const Message& request)>;
using DialogCheck = std::function<bool(const Message& request)>;
using ResponseCallback = std::function<void(const ClientOutcome& outcome)>;

// A federated domain (located through its route or DNS), or a known place.
using Target = std::variant<std::string, Destination>;

struct ServiceOptions {
  // The host name in our Record-Route and Contact: a DNS name peers can resolve (Lync ignores
  // a Record-Route holding an IP). Empty: the first local domain.
  std::string publicHost;
  // Option tags a Require may name; listed in Supported.
  std::vector<std::string> supported;
  TimerConfig timers;
};

}  // namespace impd::sip
