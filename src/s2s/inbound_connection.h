#pragma once
// A stream another server opened to us: the socket side of InboundStream.
#include <boost/asio/ip/tcp.hpp>

#include <map>
#include <string>
#include <vector>

#include "s2s/connection.h"
#include "s2s/inbound_stream.h"

namespace impd::s2s {

class Federation;

class InboundConnection final : public Connection, private InboundHost {
 public:
  InboundConnection(Federation& federation, boost::asio::ip::tcp::socket socket, boost::asio::io_context& io);
  ~InboundConnection() override;

  boost::asio::awaitable<void> run();
  // From any thread: end the stream with a stream error (shutdown).
  void postClose(std::string condition);

 private:
  // Connection
  bool negotiated() const override { return stream_.authenticated(); }
  void timedOut(std::string_view what) override;
  void violated(std::string_view condition) override { stream_.fail(condition); }
  boost::asio::awaitable<void> runTls() override;
  boost::asio::awaitable<void> afterFeed() override;

  // InboundHost
  void write(std::string bytes) override { Connection::write(std::move(bytes)); }
  void startTls() override { requestTls(); }
  void resetParser() override { Connection::resetParser(); }
  void close() override { closeAfterWrites(); }
  bool certificateValidFor(std::string_view domain) override;
  void checkDialback(DialbackCheck check) override;
  void deliver(xml::Element stanza) override;
  std::string newStreamId() override;

  Federation& federation_;
  InboundStream stream_;
  std::vector<xml::Element> toRoute_;
  std::map<std::string, bool, std::less<>> certificateVerdicts_;  // per claimed domain
};

}  // namespace impd::s2s
