#pragma once
// The I/O both kinds of server-to-server connection share: a read loop that feeds the stream
// parser, a write queue, TLS started between two reads, time-outs and a lingering close. The
// protocol itself lives in InboundStream / OutboundStream; subclasses join the two.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

#include "base/clock.h"
#include "net/stream_socket.h"
#include "net/write_queue.h"
#include "s2s/context.h"
#include "xml/stream_parser.h"

namespace impd::s2s {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  virtual ~Connection();
  boost::asio::any_io_executor executor() { return timer_.get_executor(); }

 protected:
  Connection(Context& ctx, boost::asio::io_context& io, std::string label);

  // Feeds the parser until the stream ends; runTls() and afterFeed() run between reads.
  boost::asio::awaitable<void> readLoop(xml::StreamHandler& handler);
  // Keeps time: negotiation, idle, keep-alive. Returns when the connection closes.
  boost::asio::awaitable<void> watchdog();
  void write(std::string bytes);
  // Lets queued bytes go out, then closes (lingering, so the peer reads our last words).
  void closeAfterWrites();
  void requestTls() { tlsRequested_ = true; }
  void resetParser() { parser_.reset(); }
  void closeNow();
  // How long the stream may go on unauthenticated; and what to do when time is up.
  virtual bool negotiated() const = 0;
  virtual void timedOut(std::string_view what) = 0;
  // The parser refused the input (bad XML, a limit): a stream error with that condition.
  virtual void violated(std::string_view condition) = 0;
  // The TLS handshake (server or client side), called from the read loop once writes drained.
  virtual boost::asio::awaitable<void> runTls() = 0;
  // Work the parser callbacks queued (e.g. stanzas to route), in order.
  virtual boost::asio::awaitable<void> afterFeed() { co_return; }
  // Whether anything but whitespace moved recently (stanzas, not keep-alives).
  void noteActivity() { lastActivity_ = ctx_.clock.now(); }

  Context& ctx_;
  std::string label_;  // for log lines
  std::unique_ptr<net::StreamSocket> socket_;
  xml::StreamParser parser_;
  boost::asio::steady_timer timer_;
  Clock::Steady::time_point openedAt_, lastWrite_, lastActivity_;
  bool closing_ = false;

 private:
  boost::asio::awaitable<void> lingerClose();

  net::WriteQueue out_;
  bool tlsRequested_ = false;
};

}  // namespace impd::s2s
