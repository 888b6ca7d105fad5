// Messages, SIP -> XMPP: MESSAGE bodies, typing notifications and Lync's INFO.
#include "gateway/sip_to_xmpp_message.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace impd::gateway::test {
namespace {

// A MESSAGE inside a Lync IM session (protocol-notes §3.4: the Request-URI is our Contact).
sip::Message message(std::string_view contentType, std::string_view body,
                     std::string_view extra = {}) {
  std::string text =
      "MESSAGE sip:gw.imp.test:5061;transport=tls SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bKm1\n"
      "Max-Forwards: 69\n"
      "From: \"Bob\" <sip:bob@lync.test>;tag=bob-i;epid=5c9e\n"
      "To: <sip:alice@imp.test>;tag=alice-i\n"
      "Call-ID: f2b1c3d4e5\n"
      "CSeq: 2 MESSAGE\n";
  if (!contentType.empty()) text += "Content-Type: " + std::string(contentType) + "\n";
  text += extra;
  text += "\n";
  text += body;
  return sipLiteral(text);
}

xml::Element stanzaOf(const sip::Message& m) {
  auto out = translateSipMessage(m);
  EXPECT_TRUE(out.ok()) << (out ? "" : out.error().message);
  if (!out || !out->has_value()) {
    ADD_FAILURE() << "no stanza";
    return {};
  }
  return std::move(**out);
}

TEST(SipToXmppMessage, LyncPlainText) {
  const xml::Element s = stanzaOf(message(
      "text/plain; charset=UTF-8;msgr=WAAtAE0ATQBTAC0ASQBNAC0ARgBvAHIAbQBhAHQAOgAgAEYATgA9AA",
      "Hello Alice \xE2\x98\x95"));
  EXPECT_EQ(xmlOf(s),
            "<message xmlns=\"jabber:client\" from=\"bob@lync.test\" to=\"alice@imp.test\" "
            "type=\"chat\"><thread>f2b1c3d4e5</thread><body>Hello Alice \xE2\x98\x95</body>"
            "<active xmlns=\"http://jabber.org/protocol/chatstates\"/></message>");
}

TEST(SipToXmppMessage, PageModeWithSubjectAndLanguage) {
  const sip::Message m = sipLiteral(
      "MESSAGE sip:alice@imp.test SIP/2.0\n"
      "Via: SIP/2.0/TLS sip.example.test:5061;branch=z9hG4bKp1\n"
      "From: <sip:carol@sip.example.test>;tag=c1\n"
      "To: <sip:alice@imp.test>\n"
      "Call-ID: pager-77@sip.example.test\n"
      "CSeq: 1 MESSAGE\n"
      "Subject: Meeting\n"
      "Content-Language: fr, en\n"
      "Content-Type: text/plain\n\n"
      "Bonjour");
  const xml::Element s = stanzaOf(m);
  EXPECT_EQ(s.attr("from"), "carol@sip.example.test");
  EXPECT_EQ(s.attr("to"), "alice@imp.test");
  EXPECT_EQ(s.attr("http://www.w3.org/XML/1998/namespace|lang"), "fr");
  EXPECT_EQ(s.childText("subject"), "Meeting");
  EXPECT_EQ(s.childText("thread"), "pager-77@sip.example.test");
  EXPECT_EQ(s.childText("body"), "Bonjour");
}

TEST(SipToXmppMessage, HtmlIsReducedToText) {
  const xml::Element s = stanzaOf(message(
      "text/html;charset=UTF-8",
      "<span style=\"font-family:Segoe UI\"><b>Hi</b> there &amp; welcome<br>bye</span>"));
  EXPECT_EQ(s.childText("body"), "Hi there & welcome\nbye");
}

TEST(SipToXmppMessage, MultipartAlternativePicksPlainText) {
  // Written with "\n": message() turns every line end into CRLF.
  const std::string body =
      "--b1\n"
      "Content-Type: text/html; charset=UTF-8\n\n"
      "<b>Hi</b>\n"
      "--b1\n"
      "Content-Type: text/plain; charset=UTF-8\n\n"
      "Hi plain\n"
      "--b1--\n";
  const xml::Element s = stanzaOf(message("multipart/alternative;boundary=b1", body));
  EXPECT_EQ(s.childText("body"), "Hi plain");
}

TEST(SipToXmppMessage, IsComposingBecomesChatStates) {
  const std::string active =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>active</state>"
      "<contenttype>text/plain</contenttype><refresh>60</refresh></isComposing>";
  xml::Element s = stanzaOf(message("application/im-iscomposing+xml", active));
  EXPECT_EQ(xmlOf(s),
            "<message xmlns=\"jabber:client\" from=\"bob@lync.test\" to=\"alice@imp.test\" "
            "type=\"chat\"><thread>f2b1c3d4e5</thread>"
            "<composing xmlns=\"http://jabber.org/protocol/chatstates\"/></message>");
  const std::string idle =
      "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>idle</state>"
      "</isComposing>";
  s = stanzaOf(message("application/im-iscomposing+xml", idle));
  EXPECT_NE(s.child("paused", "http://jabber.org/protocol/chatstates"), nullptr);
  EXPECT_EQ(s.child("body"), nullptr);
}

TEST(SipToXmppMessage, ImdnIsDropped) {
  auto out = translateSipMessage(message("application/ms-imdn+xml", "<imdn/>"));
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->has_value());
}

TEST(SipToXmppMessage, RefusalsCarryTheirCondition) {
  auto condition = [](const sip::Message& m) {
    auto out = translateSipMessage(m);
    return out.ok() ? std::string("ok") : out.error().condition;
  };
  EXPECT_EQ(condition(message("text/rtf", "{\\rtf1 hi}")), "unsupported-media-type");
  EXPECT_EQ(condition(message("text/plain; charset=ISO-8859-1", "caf\xE9")),
            "unsupported-media-type");
  EXPECT_EQ(condition(message("application/im-iscomposing+xml", "<nope/>")), "bad-request");
  EXPECT_EQ(condition(message("text/plain", std::string(kMaxSipMessageBodyBytes + 1, 'a'))),
            "too-large");
  sip::Message badSender = message("text/plain", "x");
  badSender.set("From", "<sip:a%3Cb@lync.test>;tag=1");
  EXPECT_EQ(condition(badSender), "jid-malformed");
}

TEST(SipToXmppMessage, LyncKeyboardActivityInfo) {
  const sip::Message info = sipLiteral(
      "INFO sip:gw.imp.test:5061;transport=tls SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bKf1\n"
      "From: <sip:bob@lync.test>;tag=bob-i\n"
      "To: <sip:alice@imp.test>;tag=alice-i\n"
      "Call-ID: f2b1c3d4e5\n"
      "CSeq: 3 INFO\n"
      "Content-Type: application/xml\n\n"
      "<KeyboardActivity><status status=\"type\"/></KeyboardActivity>");
  auto out = translateSipInfo(info);
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(out->has_value());
  EXPECT_NE((*out)->child("composing", "http://jabber.org/protocol/chatstates"), nullptr);
  EXPECT_EQ((*out)->attr("from"), "bob@lync.test");

  sip::Message idle = info;
  idle.setBody("<KeyboardActivity><status status=\"idle\"/></KeyboardActivity>");
  out = translateSipInfo(idle);
  ASSERT_TRUE(out.ok() && out->has_value());
  EXPECT_NE((*out)->child("paused", "http://jabber.org/protocol/chatstates"), nullptr);

  sip::Message other = info;
  other.setBody("<action>roster</action>", "application/x-ms-mim");
  out = translateSipInfo(other);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->has_value());
}

TEST(SipToXmppMessage, ByeEndsTheConversation) {
  const sip::Message bye = sipLiteral(
      "BYE sip:gw.imp.test:5061;transport=tls SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bKb1\n"
      "From: <sip:bob@lync.test>;tag=bob-i\n"
      "To: <sip:alice@imp.test>;tag=alice-i\n"
      "Call-ID: f2b1c3d4e5\n"
      "CSeq: 4 BYE\n"
      "Content-Length: 0\n\n");
  auto out = translateSipBye(bye);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(xmlOf(*out),
            "<message xmlns=\"jabber:client\" from=\"bob@lync.test\" to=\"alice@imp.test\" "
            "type=\"chat\"><thread>f2b1c3d4e5</thread>"
            "<gone xmlns=\"http://jabber.org/protocol/chatstates\"/></message>");
}

}  // namespace
}  // namespace impd::gateway::test
