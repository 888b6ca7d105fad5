#pragma once
// The receiving side of a server-to-server stream (RFC 6120), as a state machine without I/O:
// the connection feeds it parser events and carries out what it asks through InboundHost.
// It offers STARTTLS per the TLS mode, SASL EXTERNAL (XEP-0178) only once the peer's
// certificate is trusted and names the domain it claims, and Server Dialback (XEP-0220) both
// as Receiving Server (db:result, checked with the peer's Authoritative Server) and as
// Authoritative Server (db:verify, answered from the shared secret). Stanzas pass only for
// (peer domain, local domain) pairs authenticated on this stream.
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "config/config.h"
#include "s2s/policy.h"
#include "xml/stream_parser.h"

namespace impd::s2s {

struct StreamSettings {
  config::S2sTls tls = config::S2sTls::kOptional;
  bool saslExternal = true;
  bool dialback = true;
  std::string dialbackSecret;
};

// A key to check with the Authoritative Server of `peer`: the peer claims to speak for `peer`
// towards our `local` domain on the stream we gave `streamId`.
struct DialbackCheck {
  std::string peer;
  std::string local;
  std::string streamId;
  std::string key;
};

// What the Authoritative Server said: "valid", "invalid", or "error" with a condition.
struct DialbackOutcome {
  std::string type;
  std::string condition;  // for "error": e.g. "remote-connection-failed"
};

class InboundHost {
 public:
  virtual ~InboundHost() = default;
  virtual void write(std::string bytes) = 0;
  // After the bytes written so far are sent: the server side of a TLS handshake, then
  // InboundStream::tlsEstablished() (or the connection closes when it fails).
  virtual void startTls() = 0;
  // Restart parsing from a fresh stream (RFC 6120 §4.3.3); allowed from inside a parser callback.
  virtual void resetParser() = 0;
  // After the bytes written so far are sent, close the connection.
  virtual void close() = 0;
  // Whether the peer's TLS certificate chains to a trusted anchor and names `domain`.
  virtual bool certificateValidFor(std::string_view domain) = 0;
  // Ask the Authoritative Server; the answer comes back through dialbackChecked().
  virtual void checkDialback(DialbackCheck check) = 0;
  // An authenticated stanza for a local domain, already in the jabber:client namespace.
  virtual void deliver(xml::Element stanza) = 0;
  // A fresh, unpredictable stream id.
  virtual std::string newStreamId() = 0;
};

class InboundStream final : public xml::StreamHandler {
 public:
  InboundStream(const StreamSettings& settings, const Policy& policy, InboundHost& host,
                std::string peerLabel);

  // xml::StreamHandler
  void onStreamOpen(const xml::Element& header, std::string_view defaultNs) override;
  void onStanza(xml::Element&& stanza) override;
  void onStreamClose() override;

  void tlsEstablished();
  void dialbackChecked(const DialbackCheck& check, const DialbackOutcome& outcome);
  // A stream error of our own (bad XML, time-out, shutdown); ends the stream.
  void fail(std::string_view condition, std::string_view text = {});

  bool closed() const { return state_ == State::kClosed; }
  bool secured() const { return secured_; }
  bool authenticated() const { return !authenticated_.empty(); }
  const std::string& streamId() const { return streamId_; }

 private:
  enum class State { kAwaitHeader, kOpen, kTls, kClosed };
  using Pair = std::pair<std::string, std::string>;  // (peer domain, local domain)

  void sendFeatures();
  bool externalOffered();
  void handleStartTls();
  void handleAuth(const xml::Element& auth);
  void handleDialbackResult(const xml::Element& result);
  void handleDialbackVerify(const xml::Element& verify);
  void handleStanza(xml::Element&& stanza);
  void endStream();
  // The prepared domain of a dialback or header attribute; empty when it is not one.
  static std::string domainOf(std::string_view text);

  const StreamSettings& settings_;
  const Policy& policy_;
  InboundHost& host_;
  std::string peerLabel_;  // for log lines: the peer's address
  State state_ = State::kAwaitHeader;
  bool secured_ = false;
  bool version1_ = true;
  std::string streamId_;
  std::string localDomain_;  // 'to' of the peer's header
  std::string peerDomain_;   // 'from' of the peer's header, when given
  std::set<Pair> authenticated_;
  std::set<Pair> pending_;   // dialback checks in flight
};

}  // namespace impd::s2s
