#pragma once
// One simulated XMPP user for the load generator: connects from a chosen source address,
// negotiates the stream as a client would (STARTTLS, SASL PLAIN or SCRAM-SHA-256, bind), then
// sends what the workload asks and hands every received stanza to a callback. Lean on purpose:
// the generator must never be the bottleneck.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "codec/xmpp/scram_client.h"
#include "net/stream_socket.h"
#include "xml/stream_parser.h"

namespace impd::loadgen {

struct ClientSettings {
  boost::asio::ip::tcp::endpoint server;
  std::string domain;
  std::string password;
  bool starttls = true;
  std::string mechanism = "PLAIN";  // PLAIN | SCRAM-SHA-1 | SCRAM-SHA-256
  boost::asio::ssl::context* tls = nullptr;
  xmpp::ScramSaltCache* saltCache = nullptr;  // as clients that sign in often keep it
};

class Client final : public xml::StreamHandler {
 public:
  using OnStanza = std::function<void(Client&, const xml::Element&)>;

  Client(boost::asio::io_context& io, const ClientSettings& settings, std::string user,
         boost::asio::ip::address source);
  ~Client() override;

  // Connects and negotiates up to a bound resource; false (with why()) on any failure.
  // `session` is a TLS session to resume (nullptr for a full handshake).
  boost::asio::awaitable<bool> signIn(SSL_SESSION* session = nullptr);
  // Reads until the stream ends, calling onStanza for each stanza.
  boost::asio::awaitable<void> readLoop(OnStanza onStanza);
  // Reads stanzas while `onStanza` returns true; false when the stream ended first.
  boost::asio::awaitable<bool> readWhile(std::function<bool(Client&, const xml::Element&)> onStanza);
  // From here on hands every read's bytes to `onBytes` and parses nothing, for a workload that
  // only looks for a marker. Bytes the parser already took are not handed on.
  boost::asio::awaitable<void> readBytes(std::function<void(std::string_view)> onBytes);
  void send(std::string xml);  // queued; written in order
  void close();                // queues </stream:stream>
  // Ends the stream and the connection before returning, so the client may be destroyed.
  boost::asio::awaitable<void> closeNow();

  const std::string& user() const { return user_; }
  const std::string& jid() const { return jid_; }  // full JID once bound
  const std::string& why() const { return why_; }
  // The TLS session to resume later (owned by the caller), or null.
  SSL_SESSION* takeSession();

 private:
  boost::asio::awaitable<std::optional<xml::Element>> nextElement();
  boost::asio::awaitable<bool> writeNow(std::string bytes);
  boost::asio::awaitable<void> flush();
  bool fail(std::string why);
  void openStream();

  // xml::StreamHandler
  void onStreamOpen(const xml::Element&, std::string_view) override { opened_ = true; }
  void onStanza(xml::Element&& e) override { inbox_.push_back(std::move(e)); }
  void onStreamClose() override { closed_ = true; }

  boost::asio::io_context& io_;
  const ClientSettings& settings_;
  std::string user_, jid_, why_;
  boost::asio::ip::address source_;
  std::unique_ptr<net::StreamSocket> socket_;
  xml::StreamParser parser_;
  std::vector<xml::Element> inbox_;
  std::size_t inboxAt_ = 0;
  bool opened_ = false, closed_ = false;
  std::string outQueue_;
  bool writing_ = false;
};

}  // namespace impd::loadgen
