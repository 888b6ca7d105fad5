// The TCP/TLS framing of SIP on arbitrary bytes, fed in chunks whose sizes come from the input
// itself (a connection reads whatever the network gives). Messages must come out in input
// order, with only line ends (keep-alives) between them, the buffer must never hold more than
// one message's worth, and after the stream is lost nothing more comes out.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/stream_framer.h"

using namespace impd::sip;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the chunk size, so one corpus file explores one way of reading.
  const std::size_t chunk = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  Limits limits;
  limits.maxHeaderBytes = 2048;
  limits.maxHeaders = 32;
  limits.maxBodyBytes = 2048;
  StreamFramer framer(limits);

  std::size_t cursor = 0;  // input before it has come out as frames
  bool lost = false;
  auto onlyLineEnds = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      if (input[i] != '\r' && input[i] != '\n') return false;
    }
    return true;
  };
  for (std::size_t at = 0; at < input.size() && !lost; at += chunk) {
    framer.append(input.substr(at, chunk));
    while (auto frame = framer.next()) {
      check(!lost);
      switch (frame->kind) {
        case Frame::Kind::kPing:
        case Frame::Kind::kPong: break;
        case Frame::Kind::kMessage: {
          check(!frame->bytes.empty());
          const std::size_t found = input.find(frame->bytes, cursor);
          check(found != std::string_view::npos && onlyLineEnds(cursor, found));
          cursor = found + frame->bytes.size();
          break;
        }
        case Frame::Kind::kLost:
          check(!frame->error.condition.empty());
          lost = true;
          break;
      }
    }
    check(lost || framer.buffered() <= framer.maxBuffered());
  }
  if (lost) {
    check(!framer.next().has_value());
    return 0;
  }
  // Nothing beyond the last message is lost: it is buffered, or was keep-alive line ends.
  check(cursor + framer.buffered() <= input.size());
  check(onlyLineEnds(cursor, input.size() - framer.buffered()));
  return 0;
}
