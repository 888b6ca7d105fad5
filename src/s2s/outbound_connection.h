#pragma once
// The stream from one local domain to one remote domain: finds the peer (static route or
// DNS SRV with fail-over across targets and addresses), connects, and runs OutboundStream.
// Stanzas wait in a queue until the stream is authenticated; if it never is, each gets the
// error the failure calls for.
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "dns/srv_plan.h"
#include "s2s/connection.h"
#include "s2s/outbound_stream.h"

namespace impd::s2s {

class Federation;

class OutboundConnection final : public Connection, private OutboundHost {
 public:
  // trySaslExternal false: dialback only (a peer known to hang up on EXTERNAL).
  OutboundConnection(Federation& federation, boost::asio::io_context& io, std::string local, std::string remote,
                     bool trySaslExternal);
  ~OutboundConnection() override;

  boost::asio::awaitable<void> run();
  // From any thread.
  void post(xml::Element stanza);
  void postVerify(DialbackCheck check, std::function<void(DialbackOutcome)> done);
  void postClose();

 private:
  boost::asio::awaitable<std::vector<dns::Target>> plan();
  boost::asio::awaitable<bool> connectTo(const dns::Target& target);
  void enqueue(xml::Element stanza);
  void bounce(std::vector<xml::Element> stanzas, std::string_view condition);

  // Connection
  bool negotiated() const override { return stream_.established(); }
  void timedOut(std::string_view what) override;
  void violated(std::string_view condition) override;
  boost::asio::awaitable<void> runTls() override;

  // OutboundHost
  void write(std::string bytes) override { Connection::write(std::move(bytes)); }
  void startTls() override { requestTls(); }
  void resetParser() override { Connection::resetParser(); }
  void established(std::string_view method) override;
  void failed(std::string_view condition, std::string reason) override;
  void verified(const DialbackCheck& check, const DialbackOutcome& outcome) override;

  Federation& federation_;
  std::string local_, remote_;
  StreamSettings settings_;  // the deployment's, minus EXTERNAL for peers known to break on it
  OutboundStream stream_;
  std::deque<xml::Element> queue_;
  std::map<std::tuple<std::string, std::string, std::string>, std::function<void(DialbackOutcome)>> verifyWaiters_;
  bool ended_ = false;
  bool timedOut_ = false;  // the last connection attempt found nobody answering
};

}  // namespace impd::s2s
