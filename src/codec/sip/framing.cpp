// Stream framing for TCP/TLS (message.h): where the next message ends, and keep-alives.
#include "codec/sip/grammar.h"
#include "codec/sip/header_block.h"
#include "codec/sip/message.h"

namespace impd::sip {

Result<std::size_t> frameLength(std::string_view buffer, const Limits& limits) {
  if (buffer.empty()) return std::size_t{0};
  if (buffer[0] == '\r' || buffer[0] == '\n') {
    // A keep-alive: one or two line ends (RFC 5626 §3.5.1 sends CRLFCRLF, answered by CRLF).
    std::size_t n = 0;
    for (int ends = 0; ends < 2 && n < buffer.size();) {
      if (buffer[n] == '\n') {
        ++n;
        ++ends;
      } else if (buffer[n] == '\r') {
        if (n + 1 >= buffer.size()) break;  // its LF has not arrived yet
        if (buffer[n + 1] != '\n') return grammar::badRequest("bare CR");
        n += 2;
        ++ends;
      } else {
        break;
      }
    }
    return n;
  }
  std::size_t end = findHeaderEnd(buffer, limits.maxHeaderBytes);
  if (end == std::string_view::npos) {
    if (buffer.size() > limits.maxHeaderBytes) return makeError("too-large", "headers too large");
    return std::size_t{0};
  }
  if (end > limits.maxHeaderBytes) return makeError("too-large", "headers too large");
  auto block = lexHeaderBlock(buffer.substr(0, end), limits);
  if (!block) return block.error();
  auto length = contentLength(block->headers, limits);
  if (!length) return length.error();
  // On a stream the body has no other end (RFC 3261 §18.3).
  if (!*length) return grammar::badRequest("no Content-Length on a stream");
  std::size_t total = end + **length;
  return buffer.size() >= total ? total : std::size_t{0};
}

bool isKeepAlive(std::string_view frame) {
  if (frame.empty()) return false;
  for (char c : frame) {
    if (c != '\r' && c != '\n') return false;
  }
  return true;
}

}  // namespace impd::sip
