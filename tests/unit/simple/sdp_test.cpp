// SDP for Lync session-mode IM: reading offers and answers, writing ours.
#include "codec/simple/sdp.h"

#include <gtest/gtest.h>

namespace impd::simple {
namespace {

// The offer shape Lync (as pidgin-sipe) sends in an IM INVITE.
constexpr std::string_view kLyncOffer =
    "v=0\r\n"
    "o=- 0 0 IN IP4 192.0.2.10\r\n"
    "s=session\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=message 5061 sip null\r\n"
    "a=accept-types:text/plain text/html image/gif multipart/alternative "
    "application/im-iscomposing+xml application/ms-imdn+xml text/x-msmsgsinvite\r\n";

TEST(Sdp, LyncOfferIsAMessageSession) {
  auto sdp = parseSdp(kLyncOffer);
  ASSERT_TRUE(sdp.ok()) << sdp.error().message;
  EXPECT_TRUE(sdp->messageSession);
  EXPECT_EQ(sdp->media, std::vector<std::string>{"message"});
  EXPECT_EQ(sdp->messageMedia, "message");
  EXPECT_EQ(sdp->port, 5061);
  EXPECT_EQ(sdp->proto, "sip");
  EXPECT_EQ(sdp->target, "null");
  EXPECT_EQ(sdp->address, "192.0.2.10");
  EXPECT_FALSE(sdp->ipv6);
  ASSERT_EQ(sdp->acceptTypes.size(), 7u);
  EXPECT_EQ(sdp->acceptTypes[0], "text/plain");
  EXPECT_EQ(sdp->acceptTypes[4], "application/im-iscomposing+xml");
}

TEST(Sdp, OldServersOfferXMsMessage) {
  auto sdp = parseSdp("v=0\nc=IN IP4 10.0.0.1\nm=x-ms-message 5060 sip null\n");
  ASSERT_TRUE(sdp.ok());
  EXPECT_TRUE(sdp->messageSession);
  EXPECT_EQ(sdp->messageMedia, "x-ms-message");
  EXPECT_TRUE(sdp->acceptTypes.empty());
}

TEST(Sdp, AnswerNamesTheCalleeUri) {
  auto sdp = parseSdp(
      "v=0\r\no=- 0 0 IN IP6 2001:db8::1\r\ns=session\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\n"
      "m=message 5061 sip sip:bob@example.com\r\na=accept-types:text/plain\r\n");
  ASSERT_TRUE(sdp.ok());
  EXPECT_TRUE(sdp->messageSession);
  EXPECT_EQ(sdp->target, "sip:bob@example.com");
  EXPECT_EQ(sdp->address, "2001:db8::1");
  EXPECT_TRUE(sdp->ipv6);
}

TEST(Sdp, NonMessageMediaIsReportedNotAccepted) {
  auto audio = parseSdp(
      "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
      "m=audio 49170 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n"
      "m=video 51372 RTP/AVP 31\r\n");
  ASSERT_TRUE(audio.ok());
  EXPECT_FALSE(audio->messageSession);
  EXPECT_EQ(audio->media, (std::vector<std::string>{"audio", "video"}));

  auto mixed = parseSdp("v=0\r\nm=message 5061 sip null\r\nm=applicationsharing 0 TCP/RTP\r\n");
  ASSERT_TRUE(mixed.ok());
  EXPECT_FALSE(mixed->messageSession);
  EXPECT_EQ(mixed->media, (std::vector<std::string>{"message", "applicationsharing"}));

  auto refused = parseSdp("v=0\r\nm=message 0 sip null\r\n");
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->messageSession);

  auto none = parseSdp("v=0\r\ns=nothing\r\n");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->messageSession);
  EXPECT_TRUE(none->media.empty());
}

TEST(Sdp, MediaLevelConnectionAndTypesWin) {
  auto sdp = parseSdp(
      "v=0\nc=IN IP4 192.0.2.1\na=accept-types:text/plain\n"
      "m=message 7000 sip null\nc=IN IP4 192.0.2.2\na=accept-types:TEXT/PLAIN text/html\n");
  ASSERT_TRUE(sdp.ok());
  EXPECT_EQ(sdp->address, "192.0.2.2");
  EXPECT_EQ(sdp->port, 7000);
  EXPECT_EQ(sdp->acceptTypes, (std::vector<std::string>{"text/plain", "text/html"}));
}

TEST(Sdp, MalformedBodiesAreBadRequest) {
  const std::string_view inputs[] = {
      "",
      "\r\n",
      "o=- 0 0 IN IP4 1.2.3.4\r\nv=0\r\n",  // v= not first
      "v=1\r\n",                            // another version
      "v=0\r\nthis is not sdp\r\n",
      "v=0\r\nM=message 5061 sip null\r\n",  // types are lower case
      "v=0\r\nc=IN IP4\r\n",                 // short c=
      "v=0\r\nc=IN IPX 1.2.3.4\r\n",
      "v=0\r\nm=message\r\n",                 // short m=
      "v=0\r\nm=message 70000 sip null\r\n",  // port out of range
      "v=0\r\nm=message -1 sip null\r\n",
  };
  for (std::string_view input : inputs) {
    auto sdp = parseSdp(input);
    ASSERT_FALSE(sdp.ok()) << input;
    EXPECT_EQ(sdp.error().condition, "bad-request");
  }
}

TEST(Sdp, BoundsAreEnforced) {
  std::string many = "v=0\r\n";
  for (std::size_t i = 0; i < kMaxSdpLines + 1; ++i) many += "a=x\r\n";
  EXPECT_FALSE(parseSdp(many).ok());
  std::string big = "v=0\r\ns=" + std::string(kMaxSdpBytes, 'x') + "\r\n";
  EXPECT_FALSE(parseSdp(big).ok());
}

TEST(Sdp, BuildOffer) {
  SdpParams params;
  params.address = "192.0.2.10";
  params.port = 5061;
  params.acceptTypes = {"text/plain", "application/im-iscomposing+xml"};
  auto offer = buildSdpOffer(params);
  ASSERT_TRUE(offer.ok());
  EXPECT_EQ(*offer,
            "v=0\r\n"
            "o=- 0 0 IN IP4 192.0.2.10\r\n"
            "s=session\r\n"
            "c=IN IP4 192.0.2.10\r\n"
            "t=0 0\r\n"
            "m=message 5061 sip null\r\n"
            "a=accept-types:text/plain application/im-iscomposing+xml\r\n");
  auto back = parseSdp(*offer);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->messageSession);
  EXPECT_EQ(back->acceptTypes, params.acceptTypes);
}

TEST(Sdp, BuildAnswerIpv6) {
  SdpParams params;
  params.address = "2001:db8::7";
  params.port = 5062;
  params.acceptTypes.clear();  // falls back to text/plain
  auto answer = buildSdpAnswer(params, "alice@example.com");
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(*answer,
            "v=0\r\n"
            "o=- 0 0 IN IP6 2001:db8::7\r\n"
            "s=session\r\n"
            "c=IN IP6 2001:db8::7\r\n"
            "t=0 0\r\n"
            "m=message 5062 sip sip:alice@example.com\r\n"
            "a=accept-types:text/plain\r\n");
  auto withScheme = buildSdpAnswer(params, "sip:alice@example.com");
  ASSERT_TRUE(withScheme.ok());
  EXPECT_EQ(*withScheme, *answer);
}

TEST(Sdp, BuildRefusesValuesThatWouldBreakLines) {
  SdpParams params;
  params.address = "192.0.2.1\r\nm=audio 1 RTP/AVP 0";
  EXPECT_FALSE(buildSdpOffer(params).ok());
  params.address = "";
  EXPECT_FALSE(buildSdpOffer(params).ok());
  params.address = "192.0.2.1";
  params.acceptTypes = {"text/plain", "text/html\r\n"};
  EXPECT_FALSE(buildSdpOffer(params).ok());
  params.acceptTypes = {"text/plain"};
  EXPECT_FALSE(buildSdpAnswer(params, "sip:a@b c").ok());
  EXPECT_FALSE(buildSdpAnswer(params, "").ok());
}

}  // namespace
}  // namespace impd::simple
