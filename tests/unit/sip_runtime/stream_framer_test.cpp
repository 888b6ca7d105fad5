// Framing of SIP over TCP/TLS and keep-alives (RFC 3261 §18.3, RFC 5626 §3.5.1, §4.4.1).
#include "sip/stream_framer.h"

#include <gtest/gtest.h>

namespace impd::sip {
namespace {

using Kind = Frame::Kind;

const std::string kOptions =
    "OPTIONS sip:imp.test SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 127.0.0.9:5070;branch=z9hG4bK-1\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:bob@lab.test>;tag=1\r\n"
    "To: <sip:imp.test>\r\n"
    "Call-ID: k1\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 5\r\n\r\n"
    "hello";

std::vector<Kind> kinds(StreamFramer& framer) {
  std::vector<Kind> out;
  while (auto frame = framer.next()) out.push_back(frame->kind);
  return out;
}

TEST(StreamFramer, PingIsAnsweredPongIsNot) {
  StreamFramer framer;
  framer.append("\r\n\r\n");
  auto ping = framer.next();
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->kind, Kind::kPing);
  EXPECT_EQ(framer.buffered(), 0u);
  EXPECT_EQ(kPong, "\r\n");
  EXPECT_EQ(kPing, "\r\n\r\n");
  framer.append("\r\n" + kOptions);
  EXPECT_EQ(kinds(framer), (std::vector<Kind>{Kind::kPong, Kind::kMessage}));
}

TEST(StreamFramer, PingSplitAcrossReadsIsStillAPing) {
  StreamFramer framer;
  framer.append("\r\n");
  EXPECT_FALSE(framer.next()) << "one line end alone: wait for what follows";
  framer.append("\r\n");
  EXPECT_EQ(kinds(framer), (std::vector<Kind>{Kind::kPing}));
  framer.append("\r");
  EXPECT_FALSE(framer.next());
  framer.append("\n\r\n");
  EXPECT_EQ(kinds(framer), (std::vector<Kind>{Kind::kPing}));
}

TEST(StreamFramer, MessagesByContentLength) {
  StreamFramer framer;
  const std::string two = kOptions + kOptions;
  framer.append(two.substr(0, 50));
  EXPECT_FALSE(framer.next());
  framer.append(two.substr(50));
  auto first = framer.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, Kind::kMessage);
  EXPECT_EQ(first->bytes, kOptions);
  auto second = framer.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->bytes, kOptions);
  EXPECT_FALSE(framer.next());
}

TEST(StreamFramer, MissingContentLengthLosesTheStream) {
  StreamFramer framer;
  std::string noLength = kOptions.substr(0, kOptions.find("Content-Length")) + "\r\n";
  framer.append(noLength + kOptions);
  auto lost = framer.next();
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost->kind, Kind::kLost);
  EXPECT_EQ(lost->error.condition, "bad-request");
  EXPECT_FALSE(framer.next()) << "nothing after the framing is lost";
}

TEST(StreamFramer, OversizedHeadersLoseTheStream) {
  Limits small;
  small.maxHeaderBytes = 256;
  StreamFramer framer(small);
  framer.append("OPTIONS sip:imp.test SIP/2.0\r\nX-Padding: " + std::string(400, 'a'));
  auto lost = framer.next();
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost->kind, Kind::kLost);
  EXPECT_EQ(lost->error.condition, "too-large");
}

TEST(StreamFramer, OversizedBodyLosesTheStream) {
  Limits small;
  small.maxBodyBytes = 4;
  StreamFramer framer(small);
  framer.append(kOptions);
  auto lost = framer.next();
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost->kind, Kind::kLost);
  EXPECT_EQ(lost->error.condition, "too-large");
  EXPECT_LE(framer.maxBuffered(), small.maxHeaderBytes + small.maxBodyBytes + 4);
}

}  // namespace
}  // namespace impd::sip
