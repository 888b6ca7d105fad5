// Lync session-mode IM INVITEs, both directions, and the exactly-once rule for the first
// message piggy-backed in ms-text-format.
#include <gtest/gtest.h>

#include "base/base64.h"
#include "base/fake_random.h"
#include "codec/simple/ms_text_format.h"
#include "gateway/inbound_im_invite.h"
#include "gateway/outbound_im_invite.h"
#include "test_util.h"

namespace impd::gateway::test {
namespace {

constexpr std::string_view kLyncOffer =
    "v=0\r\n"
    "o=- 0 0 IN IP4 10.0.0.7\r\n"
    "s=session\r\n"
    "c=IN IP4 10.0.0.7\r\n"
    "t=0 0\r\n"
    "m=message 5061 sip null\r\n"
    "a=accept-types:text/plain text/html image/gif multipart/alternative "
    "application/im-iscomposing+xml application/ms-imdn+xml text/x-msmsgsinvite\r\n";

constexpr std::string_view kAudioOffer =
    "v=0\r\n"
    "o=- 0 0 IN IP4 10.0.0.7\r\n"
    "s=session\r\n"
    "c=IN IP4 10.0.0.7\r\n"
    "t=0 0\r\n"
    "m=audio 50000 RTP/AVP 0 8\r\n";

// What a Lync client sends to open an IM session (protocol-notes §3.4, from sipe).
sip::Message lyncInvite(std::string_view extra = {}, std::string_view body = kLyncOffer,
                        std::string_view type = "application/sdp") {
  std::string text =
      "INVITE sip:alice@imp.test SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bKinv1\n"
      "Max-Forwards: 69\n"
      "Record-Route: <sip:edge.lync.test:5061;transport=tls;lr>\n"
      "From: \"Bob\" <sip:bob@lync.test>;tag=bob-i;epid=5c9e\n"
      "To: <sip:alice@imp.test>\n"
      "Call-ID: f2b1c3d4e5\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:bob@10.0.0.7:5061;transport=tls>\n"
      "Supported: ms-sender\n"
      "Ms-Conversation-ID: AdKWpqCE1A==\n";
  text += extra;
  if (!type.empty()) text += "Content-Type: " + std::string(type) + "\n";
  text += "\n";
  text += body;
  return sipLiteral(text);
}

InboundInviteConfig inboundConfig() {
  InboundInviteConfig c;
  c.contact = "<sip:gw.imp.test:5061;transport=tls>";
  c.sdp.address = "192.0.2.10";
  return c;
}

TEST(InboundImInvite, AcceptsALyncImInvite) {
  const InviteDecision d = decideInboundInvite(lyncInvite(), "alice-i", inboundConfig());
  ASSERT_TRUE(d.accepted);
  const sip::Message& ok = d.response;
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.get("To"), "<sip:alice@imp.test>;tag=alice-i");
  EXPECT_EQ(ok.get("Record-Route"), "<sip:edge.lync.test:5061;transport=tls;lr>");
  EXPECT_EQ(ok.get("Contact"), "<sip:gw.imp.test:5061;transport=tls>");
  EXPECT_EQ(ok.get("Content-Type"), "application/sdp");
  EXPECT_FALSE(ok.has("Supported"));  // no first message delivered, so not ms-text-format
  EXPECT_FALSE(d.firstMessage);
  auto answer = simple::parseSdp(ok.body());
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->messageSession);
  EXPECT_EQ(answer->target, "sip:alice@imp.test");
  EXPECT_EQ(answer->address, "192.0.2.10");
  EXPECT_EQ(answer->acceptTypes, sessionAcceptTypes());
  reparsed(ok);
}

// The exactly-once rule, both halves.
TEST(InboundImInvite, PiggybackedFirstMessageIsDeliveredAndAcknowledged) {
  const std::string header =
      "ms-text-format: text/plain; charset=UTF-8;msgr=WAAtAE0ATQBTAC0ASQBNAC0ARgBvAHIAbQBhAHQAOg"
      "AgAEYATgA9AA;ms-body=" + base64Encode("Hi Alice!") + "\n";
  const InviteDecision d = decideInboundInvite(lyncInvite(header), "alice-i", inboundConfig());
  ASSERT_TRUE(d.accepted);
  ASSERT_TRUE(d.firstMessage);
  EXPECT_EQ(xmlOf(*d.firstMessage),
            "<message xmlns=\"jabber:client\" from=\"bob@lync.test\" to=\"alice@imp.test\" "
            "type=\"chat\"><thread>f2b1c3d4e5</thread><body>Hi Alice!</body>"
            "<active xmlns=\"http://jabber.org/protocol/chatstates\"/></message>");
  EXPECT_EQ(d.response.get("Supported"), "ms-text-format");
}

TEST(InboundImInvite, UndeliverableFirstMessageIsLeftToTheMessage) {
  const std::string cases[] = {
      "ms-text-format: text/plain; charset=UTF-8\n",                              // no ms-body
      "ms-text-format: text/plain; charset=UTF-8;ms-body=\n",                     // empty
      "ms-text-format: text/rtf; charset=UTF-8;ms-body=" + base64Encode("{}") + "\n",
      "ms-text-format: text/plain; charset=UTF-16;ms-body=" + base64Encode("x") + "\n",
      "ms-text-format: text/plain; ms-body=!!!!\n",                               // not base64
  };
  for (const std::string& header : cases) {
    const InviteDecision d = decideInboundInvite(lyncInvite(header), "alice-i", inboundConfig());
    ASSERT_TRUE(d.accepted) << header;
    EXPECT_FALSE(d.firstMessage) << header;
    EXPECT_FALSE(d.response.has("Supported")) << header;
  }
}

TEST(InboundImInvite, HtmlFirstMessageIsDeliveredAsText) {
  const std::string header = "ms-text-format: text/html; charset=UTF-8;ms-body=" +
                             base64Encode("<b>Hi</b> &amp; bye") + "\n";
  const InviteDecision d = decideInboundInvite(lyncInvite(header), "alice-i", inboundConfig());
  ASSERT_TRUE(d.firstMessage);
  EXPECT_EQ(d.firstMessage->childText("body"), "Hi & bye");
  EXPECT_EQ(d.response.get("Supported"), "ms-text-format");
}

TEST(InboundImInvite, Refusals) {
  struct Case {
    sip::Message invite;
    int status;
    std::string_view header;
    std::string_view value;
  };
  sip::Message badSender = lyncInvite();
  badSender.set("From", "<sip:a%3Cb@lync.test>;tag=x");
  sip::Message badTarget = lyncInvite();
  badTarget.setRequestUri("sip:a%3Cb@imp.test");
  const Case cases[] = {
      {lyncInvite("Require: com.microsoft.rtc-multiparty\n"), 420, "Unsupported",
       "com.microsoft.rtc-multiparty"},
      {lyncInvite({}, kAudioOffer), 488, "", ""},
      {lyncInvite({}, "", ""), 488, "", ""},
      {lyncInvite({}, "--b\r\n\r\nfile\r\n--b--", "multipart/mixed;boundary=b"), 415, "Accept",
       "application/sdp"},
      {lyncInvite({}, "garbage"), 400, "", ""},
      {badSender, 400, "", ""},
      {badTarget, 404, "", ""},
  };
  for (const Case& c : cases) {
    const InviteDecision d = decideInboundInvite(c.invite, "alice-i", inboundConfig());
    EXPECT_FALSE(d.accepted) << c.status;
    EXPECT_EQ(d.response.status(), c.status);
    EXPECT_FALSE(d.firstMessage);
    EXPECT_EQ(d.response.get("To"), "<sip:alice@imp.test>;tag=alice-i");
    if (!c.header.empty()) {
      EXPECT_EQ(d.response.get(c.header), c.value) << c.status;
    }
  }
}

TEST(InboundImInvite, NonMessageMediaNamesTheReason) {
  const InviteDecision d =
      decideInboundInvite(lyncInvite({}, kAudioOffer), "alice-i", inboundConfig());
  EXPECT_EQ(d.response.status(), 488);
  EXPECT_TRUE(d.response.get("Warning")->starts_with("304 "));
}

ImInviteConfig outboundConfig() {
  ImInviteConfig c;
  c.contact = "<sip:gw.imp.test:5061;transport=tls>";
  c.callIdHost = "gw.imp.test";
  c.sdp.address = "192.0.2.10";
  return c;
}

TEST(OutboundImInvite, InviteShape) {
  CountingRandom random;
  auto built = buildImInvite(jid("alice@imp.test/laptop"), jid("bob@lync.test/0"),
                             outboundConfig(), random);
  ASSERT_TRUE(built.ok()) << built.error().message;
  const sip::Message& m = built->request;
  EXPECT_EQ(m.method(), "INVITE");
  EXPECT_EQ(m.requestUri(), "sip:bob@lync.test");
  EXPECT_EQ(m.get("From"), "<sip:alice@imp.test>;tag=" + built->localTag);
  EXPECT_EQ(m.get("To"), "<sip:bob@lync.test>");
  EXPECT_EQ(m.get("Call-ID"), built->callId);
  EXPECT_EQ(m.get("CSeq"), "1 INVITE");
  EXPECT_EQ(m.get("Contact"), "<sip:gw.imp.test:5061;transport=tls>");
  EXPECT_EQ(m.get("Supported"), "ms-sender");
  EXPECT_EQ(m.get("Content-Type"), "application/sdp");
  EXPECT_FALSE(m.has("ms-text-format"));
  EXPECT_FALSE(built->firstMessageInInvite);
  auto offer = simple::parseSdp(m.body());
  ASSERT_TRUE(offer.ok());
  EXPECT_TRUE(offer->messageSession);
  EXPECT_EQ(offer->proto, "sip");
  EXPECT_EQ(offer->target, "null");
  EXPECT_EQ(offer->port, 5061);
  EXPECT_EQ(offer->acceptTypes, sessionAcceptTypes());
  reparsed(m);
}

TEST(OutboundImInvite, FirstMessagePiggyback) {
  CountingRandom random;
  auto built = buildImInvite(jid("alice@imp.test"), jid("bob@lync.test"), outboundConfig(),
                             random, "Hello Bob");
  ASSERT_TRUE(built.ok());
  EXPECT_TRUE(built->firstMessageInInvite);
  auto format = simple::parseMsTextFormat(*built->request.get("ms-text-format"));
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(format->contentType, "text/plain");
  EXPECT_EQ(format->body, "Hello Bob");

  // Too long for a header: sent as a MESSAGE after the ACK instead.
  auto longer = buildImInvite(jid("alice@imp.test"), jid("bob@lync.test"), outboundConfig(),
                              random, std::string(kMaxPiggybackBytes + 1, 'x'));
  ASSERT_TRUE(longer.ok());
  EXPECT_FALSE(longer->firstMessageInInvite);
  EXPECT_FALSE(longer->request.has("ms-text-format"));
}

TEST(OutboundImInvite, CalleeDisplayedFirstMessage) {
  auto ok = [](std::string_view supported) {
    std::string text =
        "SIP/2.0 200 OK\n"
        "Via: SIP/2.0/TLS gw.imp.test:5061;branch=z9hG4bKi\n"
        "From: <sip:alice@imp.test>;tag=a\n"
        "To: <sip:bob@lync.test>;tag=b\n"
        "Call-ID: c\n"
        "CSeq: 1 INVITE\n";
    if (!supported.empty()) text += "Supported: " + std::string(supported) + "\n";
    return sipLiteral(text + "Content-Length: 0\n\n");
  };
  EXPECT_TRUE(calleeDisplayedFirstMessage(ok("ms-text-format")));
  EXPECT_TRUE(calleeDisplayedFirstMessage(ok("com.microsoft.rtc-multiparty, MS-Text-Format")));
  EXPECT_FALSE(calleeDisplayedFirstMessage(ok("com.microsoft.rtc-multiparty")));
  EXPECT_FALSE(calleeDisplayedFirstMessage(ok("")));
}

// Our INVITE answered by our own inbound logic: the piggy-backed message is shown once, and
// the caller side then knows not to send it again.
TEST(ImInvite, ExactlyOnceEndToEnd) {
  CountingRandom random;
  auto built = buildImInvite(jid("alice@imp.test"), jid("bob@peer.test"), outboundConfig(),
                             random, "only once");
  ASSERT_TRUE(built.ok());
  const sip::Message invite = reparsed(built->request);
  const InviteDecision d = decideInboundInvite(invite, "bob-i", inboundConfig());
  ASSERT_TRUE(d.accepted);
  ASSERT_TRUE(d.firstMessage);
  EXPECT_EQ(d.firstMessage->childText("body"), "only once");
  EXPECT_TRUE(calleeDisplayedFirstMessage(d.response));

  auto plain = buildImInvite(jid("alice@imp.test"), jid("bob@peer.test"), outboundConfig(),
                             random);
  ASSERT_TRUE(plain.ok());
  const InviteDecision none = decideInboundInvite(reparsed(plain->request), "b", inboundConfig());
  EXPECT_FALSE(none.firstMessage);
  EXPECT_FALSE(calleeDisplayedFirstMessage(none.response));
}

}  // namespace
}  // namespace impd::gateway::test
