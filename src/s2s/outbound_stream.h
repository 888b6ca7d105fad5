#pragma once
// The initiating side of a server-to-server stream from one local domain to one remote
// domain, as a state machine without I/O. It secures the stream per the TLS mode, then
// authenticates with SASL EXTERNAL when the peer offers it (the peer offers it only after
// validating our certificate) and falls back to Server Dialback. The same stream carries
// db:verify questions for dialback checks of inbound streams (we as Receiving Server asking
// the remote domain as Authoritative Server); those may go out before authentication.
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "s2s/inbound_stream.h"
#include "xml/stream_parser.h"

namespace impd::s2s {

class OutboundHost {
 public:
  virtual ~OutboundHost() = default;
  virtual void write(std::string bytes) = 0;
  // After the bytes written so far are sent: the client side of a TLS handshake with SNI for
  // the remote domain, then OutboundStream::tlsEstablished() (or the connection fails).
  virtual void startTls() = 0;
  virtual void resetParser() = 0;
  // The stream may carry stanzas now; `method` says how it was authenticated.
  virtual void established(std::string_view method) = 0;
  // The stream is over. `condition` is the stanza error for what is still queued
  // (remote-server-not-found, remote-server-timeout, ...); `reason` is for the log.
  virtual void failed(std::string_view condition, std::string reason) = 0;
  // The Authoritative Server's answer to a db:verify we sent.
  virtual void verified(const DialbackCheck& check, const DialbackOutcome& outcome) = 0;
};

class OutboundStream final : public xml::StreamHandler {
 public:
  OutboundStream(const StreamSettings& settings, std::string local, std::string remote, OutboundHost& host);

  // The TCP (or, for direct TLS, the TLS) connection is up: opens the stream.
  void connected(bool directTls);
  void tlsEstablished();
  // Queues a db:verify until the stream can carry it.
  void askVerify(DialbackCheck check);
  void sendStanza(xml::Element stanza);
  // Ends the stream politely (idle, shutdown).
  void close();
  void fail(std::string_view condition, std::string reason);

  // xml::StreamHandler
  void onStreamOpen(const xml::Element& header, std::string_view defaultNs) override;
  void onStanza(xml::Element&& stanza) override;
  void onStreamClose() override;

  bool established() const { return state_ == State::kEstablished; }
  bool closed() const { return state_ == State::kClosed; }
  // The peer dropped the stream while we waited for the outcome of SASL EXTERNAL, instead of
  // answering <failure/> (ejabberd 23.01 crashes on some certificates): the next stream to
  // this peer should skip EXTERNAL and use dialback.
  bool interruptedDuringExternal() const { return interruptedDuringExternal_; }

 private:
  enum class State { kIdle, kAwaitHeader, kAwaitFeatures, kAwaitProceed, kTls, kAwaitSasl, kAwaitDialback,
                     kEstablished, kClosed };

  void handleFeatures(const xml::Element& features);
  void startDialback();
  void flushVerifies();
  bool canVerify() const;
  void handleDialbackResult(const xml::Element& result);
  void handleDialbackVerify(const xml::Element& verify);
  void finish(std::string_view method);

  const StreamSettings& settings_;
  std::string local_, remote_;
  OutboundHost& host_;
  State state_ = State::kIdle;
  bool secured_ = false;
  bool directTls_ = false;
  bool version1_ = true;
  bool saslDone_ = false;
  bool interruptedDuringExternal_ = false;  // SASL succeeded: the next features end negotiation
  std::string streamId_;
  std::deque<DialbackCheck> verifyQueue_;
  std::map<std::tuple<std::string, std::string, std::string>, DialbackCheck> verifySent_;  // (peer, local, id)
};

}  // namespace impd::s2s
