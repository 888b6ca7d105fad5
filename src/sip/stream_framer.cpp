// Stream framing and keep-alive detection (stream_framer.h).
#include "sip/stream_framer.h"

namespace impd::sip {

std::optional<Frame> StreamFramer::next() {
  if (lost_ || buffer_.empty()) return std::nullopt;
  auto length = frameLength(buffer_, limits_);
  if (!length) {
    lost_ = true;
    Frame lost{Frame::Kind::kLost, std::move(buffer_), length.error()};
    buffer_.clear();
    return lost;
  }
  if (*length == 0) {
    if (buffer_.size() > maxBuffered()) {
      lost_ = true;
      Frame lost{Frame::Kind::kLost, std::move(buffer_), makeError("too-large", "message too large")};
      buffer_.clear();
      return lost;
    }
    return std::nullopt;
  }
  if (*length == buffer_.size() && isKeepAlive(buffer_) && buffer_.find('\n') == buffer_.size() - 1) {
    // One line end and nothing after it: the first half of a ping split across two reads,
    // or a pong. Waiting costs a pong nothing and keeps a split ping a ping.
    return std::nullopt;
  }
  Frame frame;
  frame.bytes = buffer_.substr(0, *length);
  buffer_.erase(0, *length);
  if (isKeepAlive(frame.bytes)) {
    // frameLength() takes at most two line ends at a time: two make a ping, one a pong.
    std::size_t ends = 0;
    for (char c : frame.bytes) ends += c == '\n';
    frame.kind = ends >= 2 ? Frame::Kind::kPing : Frame::Kind::kPong;
    frame.bytes.clear();
  }
  return frame;
}

}  // namespace impd::sip
