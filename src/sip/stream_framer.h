#pragma once
// Cuts the byte stream of a TCP/TLS connection into SIP messages and keep-alives (RFC 3261
// §18.3, RFC 5626 §3.5.1), holding at most one message's worth of bytes. Pure: the connection
// feeds it what it read and acts on the frames, so the framing rules and the keep-alive
// answers are unit-tested without sockets.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/sip/message.h"

namespace impd::sip {

struct Frame {
  enum class Kind {
    kMessage,  // `bytes` is one complete message (not parsed yet)
    kPing,     // CRLFCRLF: answer with one CRLF
    kPong,     // a lone CRLF: the answer to our ping, or padding; nothing to do
    kLost,     // the stream cannot be framed any more: `error` says why, `bytes` holds what
               // was buffered (to answer 400 from, when legible); the connection must close
  };
  Kind kind = Kind::kMessage;
  std::string bytes;
  Error error;
};

class StreamFramer {
 public:
  explicit StreamFramer(Limits limits = {}) : limits_(limits) {}

  void append(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete frame, or nullopt when more bytes are needed. After kLost it returns
  // nothing more.
  std::optional<Frame> next();
  std::size_t buffered() const { return buffer_.size(); }
  // The most a connection ever holds for one message (headers plus body at their limits).
  std::size_t maxBuffered() const { return limits_.maxHeaderBytes + limits_.maxBodyBytes + 4; }

 private:
  Limits limits_;
  std::string buffer_;
  bool lost_ = false;
};

// The keep-alive pong (RFC 5626 §4.4.1) and the ping we send on idle connections we own.
inline constexpr std::string_view kPong = "\r\n";
inline constexpr std::string_view kPing = "\r\n\r\n";

}  // namespace impd::sip
