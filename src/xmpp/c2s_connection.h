#pragma once
// One client-to-server stream (RFC 6120): negotiation (STARTTLS, SASL, bind), then stanzas
// handed to the IM service, with stream management (XEP-0198), rate limits and time-outs.
// Everything here runs on the connection's own I/O thread; other threads reach it only
// through SessionLink::post.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec/xmpp/jid.h"
#include "codec/xmpp/scram.h"
#include "core/session.h"
#include "net/stream_socket.h"
#include "net/write_queue.h"
#include "xml/stream_parser.h"
#include "xmpp/c2s_context.h"
#include "net/token_bucket.h"

namespace impd::xmpp {

class C2sConnection final : public core::SessionLink,
                            public xml::StreamHandler,
                            public std::enable_shared_from_this<C2sConnection> {
 public:
  C2sConnection(C2sContext& ctx, boost::asio::ip::tcp::socket socket, bool directTls);
  ~C2sConnection() override;

  // Starts the connection (the TLS handshake first, for direct TLS) and returns; the
  // connection then lives on in the handlers of its socket and timer.
  boost::asio::awaitable<void> run();

  // SessionLink: called from any thread.
  void post(xml::Element stanza) override;
  void postPrepared(std::shared_ptr<const core::PreparedStanza> stanza, std::string to) override;
  void postClose(std::string condition, std::string text) override;

 private:
  enum class Phase { kConnected, kSecured, kAuthenticated, kBound, kClosed };
  struct Event {
    enum Kind { kOpen, kStanza, kClose } kind;
    xml::Element element;
    std::string defaultNs;
  };

  // xml::StreamHandler: queue events; they are handled after feed() returns, where the
  // handlers may await storage.
  void onStreamOpen(const xml::Element& header, std::string_view defaultNs) override;
  void onStanza(xml::Element&& stanza) override;
  void onStreamClose() override;

  // I/O (c2s_connection.cpp).
  // Between bursts an idle connection holds no coroutine: awaitInput() leaves a plain
  // handler on the socket, which starts readAvailable() when bytes arrive.
  void awaitInput();
  boost::asio::awaitable<void> readAvailable(boost::system::error_code ec);
  boost::asio::awaitable<void> finish();
  // Re-arms itself on the connection's timer for the nearest deadline (a plain handler too).
  void watchdog();
  // Closes once what is queued has been sent and the peer had a moment to read it.
  void closeAfterWrites();
  boost::asio::awaitable<void> lingerClose();
  void write(std::string data);
  void sendElement(const xml::Element& e);
  void sendStanza(xml::Element stanza);  // counts for stream management
  // A stanza posted from elsewhere, now on this connection's thread.
  void sendPosted(xml::Element stanza);
  void closeWithStreamError(std::string_view condition, std::string_view text = {});
  void closeStream();
  void probeIdleClient();
  static constexpr const char* kIdlePingId = "impd-idle-ping";

  // Negotiation (c2s_negotiation.cpp).
  boost::asio::awaitable<void> handleEvent(Event& event);
  void handleStreamOpen(const xml::Element& header, std::string_view defaultNs);
  void sendFeatures();
  boost::asio::awaitable<void> handleNegotiation(xml::Element& e);
  boost::asio::awaitable<void> startTls();
  boost::asio::awaitable<void> handleBind(xml::Element& iq);

  // SASL (c2s_sasl.cpp).
  boost::asio::awaitable<void> handleAuth(xml::Element& auth);
  boost::asio::awaitable<void> handleSaslResponse(xml::Element& response);
  void saslFailure(std::string_view condition, std::string_view text = {});
  void saslSuccess(std::string_view user, std::string_view additionalData);

  // Stanzas and stream management (c2s_stanzas.cpp).
  boost::asio::awaitable<void> handleStanza(xml::Element& stanza);
  boost::asio::awaitable<void> handleSm(xml::Element& e);
  boost::asio::awaitable<void> resume(xml::Element& e);
  boost::asio::awaitable<void> endSession();
  // A stanza that reached this connection after its session ended for good.
  void rerouteLost(xml::Element stanza);
  static bool worthRerouting(const xml::Element& e);

  C2sContext& ctx_;
  net::StreamSocket socket_;
  bool directTls_;
  xml::StreamParser parser_;
  std::vector<Event> events_;
  Phase phase_ = Phase::kConnected;
  std::string streamId_;
  std::string domain_;  // the local domain the client addressed
  bool headerSent_ = false;

  // SASL
  std::unique_ptr<ScramServer> scram_;  // only while authenticating: held inline it would cost every session
  std::string authUser_;  // prepared localpart once authenticated
  unsigned authFailures_ = 0;

  // Session
  std::shared_ptr<core::ClientSession> session_;
  bool cleanClose_ = false;  // the client closed the stream itself (no resumption)
  bool sessionEnded_ = false;  // endSession() finished: the session is gone for good

  // Writing
  net::WriteQueue out_;
  unsigned sinceAckRequest_ = 0;

  // Time-outs and budgets
  boost::asio::steady_timer timer_;
  Clock::Steady::time_point lastRead_, lastWrite_, openedAt_;
  std::optional<Clock::Steady::time_point> idleProbeAt_;  // when we asked a quiet client
  bool parserCompacted_ = false;
  // A quiet stream gives its XML parser back (about 10 KB with expat) this long after its
  // last read; most sessions of a large deployment are quiet almost all the time.
  static constexpr std::chrono::seconds kCompactAfter{1};
  static constexpr std::chrono::seconds kLingerTime{2};
  net::TokenBucket readBudget_;
};

}  // namespace impd::xmpp
