// frameLength() and isKeepAlive(): stream framing over partial buffers, keep-alives and
// messages back to back.
#include <gtest/gtest.h>

#include "codec/sip/message.h"

namespace impd::sip {
namespace {

const std::string kMessage =
    "MESSAGE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP h.example.com;branch=z9hG4bK1\r\n"
    "From: <sip:alice@example.com>;tag=9\r\nTo: <sip:bob@example.com>\r\n"
    "Call-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n"
    "Content-Length: 5\r\n\r\nhello";

std::size_t frame(std::string_view buffer, const Limits& limits = {}) {
  auto n = frameLength(buffer, limits);
  EXPECT_TRUE(n.ok()) << (n ? "" : n.error().message);
  return n ? *n : 0;
}

TEST(Framing, CompleteMessage) {
  EXPECT_EQ(frame(kMessage), kMessage.size());
  EXPECT_FALSE(isKeepAlive(kMessage));
}

TEST(Framing, EveryPartialBufferNeedsMore) {
  for (std::size_t n = 0; n < kMessage.size(); ++n) {
    EXPECT_EQ(frame(kMessage.substr(0, n)), 0u) << n;
  }
}

TEST(Framing, TwoMessagesBackToBack) {
  std::string two = kMessage + kMessage;
  std::size_t first = frame(two);
  ASSERT_EQ(first, kMessage.size());
  EXPECT_EQ(frame(std::string_view(two).substr(first)), kMessage.size());
  auto m = parse(std::string_view(two).substr(0, first));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->body(), "hello");
}

TEST(Framing, KeepAlives) {
  EXPECT_EQ(frame("\r\n\r\n" + kMessage), 4u);
  EXPECT_EQ(frame("\r\n"), 2u);
  EXPECT_EQ(frame("\r\n" + kMessage), 2u);
  EXPECT_EQ(frame("\r"), 0u);  // its LF is still on the way
  EXPECT_EQ(frame("\n\n\n"), 2u);
  EXPECT_TRUE(isKeepAlive("\r\n\r\n"));
  EXPECT_TRUE(isKeepAlive("\r\n"));
  EXPECT_FALSE(isKeepAlive(""));
  EXPECT_FALSE(isKeepAlive("\r\nX"));
  EXPECT_FALSE(frameLength("\rX").ok());
}

TEST(Framing, StreamsNeedContentLength) {
  std::string noLength = kMessage.substr(0, kMessage.find("Content-Length")) + "\r\nhello";
  auto n = frameLength(noLength);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().condition, "bad-request");
  // Yet the same bytes are a fine datagram.
  EXPECT_TRUE(parse(noLength).ok());
}

TEST(Framing, BadOrConflictingContentLength) {
  std::string bad = kMessage;
  bad.replace(bad.find("Content-Length: 5"), 17, "Content-Length: x");
  EXPECT_EQ(frameLength(bad).error().condition, "bad-request");
  std::string twice = kMessage;
  twice.insert(twice.find("Content-Length"), "l: 4\r\n");
  EXPECT_EQ(frameLength(twice).error().condition, "bad-request");
}

TEST(Framing, Limits) {
  Limits small;
  small.maxHeaderBytes = 100;
  EXPECT_EQ(frameLength(kMessage, small).error().condition, "too-large");
  // An unterminated header section is refused once it passes the bound, not buffered forever.
  EXPECT_EQ(frame(kMessage.substr(0, 90), small), 0u);
  EXPECT_EQ(frameLength(std::string(200, 'a'), small).error().condition, "too-large");
  Limits body;
  body.maxBodyBytes = 4;
  EXPECT_EQ(frameLength(kMessage, body).error().condition, "too-large");
}

TEST(Framing, BareLfLineEnds) {
  std::string lf = "OPTIONS sip:a@example.com SIP/2.0\nContent-Length: 2\n\nokEXTRA";
  EXPECT_EQ(frame(lf), lf.size() - 5);
}

}  // namespace
}  // namespace impd::sip
