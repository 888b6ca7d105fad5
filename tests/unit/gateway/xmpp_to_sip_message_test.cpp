// Messages, XMPP -> SIP: page-mode and session-mode MESSAGE, and typing notifications.
#include "gateway/xmpp_to_sip_message.h"

#include <gtest/gtest.h>

#include "base/fake_random.h"
#include "test_util.h"

namespace impd::gateway::test {
namespace {

TEST(XmppToSipMessage, PageModeMessageShape) {
  CountingRandom random;
  auto m = buildPageModeMessage(
      xmlLiteral("<message xmlns='jabber:client' from='alice@imp.test/laptop' "
                 "to='bob@lync.test/0' type='chat' xml:lang='en'>"
                 "<subject>Lunch</subject><thread>th-42</thread>"
                 "<body>Hi Bob, lunch at 12?</body>"
                 "<html xmlns='http://jabber.org/protocol/xhtml-im'><body "
                 "xmlns='http://www.w3.org/1999/xhtml'><p><b>Hi</b> Bob</p></body></html>"
                 "<active xmlns='http://jabber.org/protocol/chatstates'/></message>"),
      random, PageModeConfig{"gw.imp.test"});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->method(), "MESSAGE");
  EXPECT_EQ(m->requestUri(), "sip:bob@lync.test");
  EXPECT_TRUE(m->get("From")->starts_with("<sip:alice@imp.test>;tag="));
  EXPECT_EQ(m->get("To"), "<sip:bob@lync.test>");
  EXPECT_EQ(m->get("Call-ID"), "th-42");  // RFC 7572: thread <-> Call-ID
  EXPECT_EQ(m->get("CSeq"), "1 MESSAGE");
  EXPECT_EQ(m->get("Max-Forwards"), "70");
  EXPECT_EQ(m->get("Subject"), "Lunch");
  EXPECT_EQ(m->get("Content-Language"), "en");
  EXPECT_EQ(m->get("Content-Type"), "text/plain;charset=UTF-8");
  EXPECT_EQ(m->body(), "Hi Bob, lunch at 12?");  // XHTML-IM ignored
  reparsed(*m);
}

TEST(XmppToSipMessage, UnusableThreadGetsAFreshCallId) {
  CountingRandom random;
  auto m = buildPageModeMessage(
      xmlLiteral("<message xmlns='jabber:client' from='alice@imp.test' to='bob@lync.test'>"
                 "<thread>has spaces &amp; &lt;angles&gt;</thread><body>x</body></message>"),
      random, PageModeConfig{"gw.imp.test"});
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->get("Call-ID")->ends_with("@gw.imp.test"));
  auto none = buildPageModeMessage(
      xmlLiteral("<message xmlns='jabber:client' from='alice@imp.test' to='bob@lync.test'>"
                 "<body>x</body></message>"),
      random);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->get("Call-ID")->empty());
  EXPECT_FALSE(none->has("Subject"));
  EXPECT_FALSE(none->has("Content-Language"));
}

TEST(XmppToSipMessage, HeaderUnsafeSubjectIsFlattened) {
  CountingRandom random;
  auto m = buildPageModeMessage(
      xmlLiteral("<message xmlns='jabber:client' from='alice@imp.test' to='bob@lync.test'>"
                 "<subject>line1\nInjected: yes</subject><body>x</body></message>"),
      random);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->get("Subject"), "line1 Injected: yes");
  EXPECT_FALSE(reparsed(*m).has("Injected"));
}

TEST(XmppToSipMessage, LanguageOfTheChosenBody) {
  auto text = outboundTextOf(
      xmlLiteral("<message xmlns='jabber:client' xml:lang='en'><body xml:lang='de'>Hallo</body>"
                 "</message>"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->body, "Hallo");
  EXPECT_EQ(text->language, "de");
  text = outboundTextOf(xmlLiteral(
      "<message xmlns='jabber:client' xml:lang='en'><body xml:lang='de'>Hallo</body>"
      "<body>Hello</body></message>"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->body, "Hello");
  EXPECT_EQ(text->language, "en");
}

TEST(XmppToSipMessage, WhatIsNotSent) {
  auto condition = [](std::string_view stanza) {
    auto text = outboundTextOf(xmlLiteral(stanza));
    return text.ok() ? std::string("ok") : text.error().condition;
  };
  EXPECT_EQ(condition("<message xmlns='jabber:client' type='error'><body>x</body></message>"),
            "bad-request");
  EXPECT_EQ(condition("<message xmlns='jabber:client' type='groupchat'><body>x</body></message>"),
            "feature-not-implemented");
  EXPECT_EQ(condition("<message xmlns='jabber:client'><composing "
                      "xmlns='http://jabber.org/protocol/chatstates'/></message>"),
            "no-body");
  const std::string big = "<message xmlns='jabber:client'><body>" +
                          std::string(kMaxMessageTextBytes + 1, 'a') + "</body></message>";
  EXPECT_EQ(condition(big), "policy-violation");

  CountingRandom random;
  auto noFrom = buildPageModeMessage(
      xmlLiteral("<message xmlns='jabber:client' to='bob@lync.test'><body>x</body></message>"),
      random);
  ASSERT_FALSE(noFrom.ok());
  EXPECT_EQ(noFrom.error().condition, "jid-malformed");
}

// An IM session dialog as Lync's 200 to our INVITE creates it.
sip::Dialog sessionDialog() {
  const sip::Message invite = sipLiteral(
      "INVITE sip:bob@lync.test SIP/2.0\n"
      "Via: SIP/2.0/TLS gw.imp.test:5061;branch=z9hG4bKi1\n"
      "From: <sip:alice@imp.test>;tag=alice-i\n"
      "To: <sip:bob@lync.test>\n"
      "Call-ID: session-1@gw.imp.test\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:gw.imp.test:5061;transport=tls>\n"
      "Content-Length: 0\n\n");
  const sip::Message ok = sipLiteral(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/TLS gw.imp.test:5061;branch=z9hG4bKi1\n"
      "Record-Route: <sip:edge.lync.test:5061;transport=tls;lr>\n"
      "From: <sip:alice@imp.test>;tag=alice-i\n"
      "To: <sip:bob@lync.test>;tag=bob-i\n"
      "Call-ID: session-1@gw.imp.test\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:bob@10.0.0.7:5061;transport=tls>\n"
      "Content-Length: 0\n\n");
  return *sip::Dialog::asUac(invite, ok, true);
}

TEST(XmppToSipMessage, SessionModeMessageIsInTheDialog) {
  sip::Dialog dialog = sessionDialog();
  OutboundText text;
  text.body = "second message";
  const sip::Message m = buildSessionMessage(dialog, text);
  EXPECT_EQ(m.method(), "MESSAGE");
  EXPECT_EQ(m.requestUri(), "sip:bob@10.0.0.7:5061;transport=tls");
  EXPECT_EQ(m.get("Route"), "<sip:edge.lync.test:5061;transport=tls;lr>");
  EXPECT_EQ(m.get("Call-ID"), "session-1@gw.imp.test");
  EXPECT_EQ(m.get("From"), "<sip:alice@imp.test>;tag=alice-i");
  EXPECT_EQ(m.get("To"), "<sip:bob@lync.test>;tag=bob-i");
  EXPECT_EQ(m.get("CSeq"), "2 MESSAGE");
  EXPECT_EQ(m.get("Content-Type"), "text/plain;charset=UTF-8");
  EXPECT_EQ(m.body(), "second message");
  EXPECT_EQ(buildSessionMessage(dialog, text).get("CSeq"), "3 MESSAGE");
}

TEST(XmppToSipMessage, TypingStateOfChatStates) {
  auto state = [](std::string_view children) {
    return typingStateFor(xmlLiteral("<message xmlns='jabber:client'>" + std::string(children) +
                                     "</message>"));
  };
  const std::string ns = " xmlns='http://jabber.org/protocol/chatstates'/>";
  EXPECT_EQ(state("<composing" + ns), simple::ComposingState::active);
  EXPECT_EQ(state("<paused" + ns), simple::ComposingState::idle);
  EXPECT_EQ(state("<active" + ns), simple::ComposingState::idle);
  EXPECT_EQ(state("<inactive" + ns), simple::ComposingState::idle);
  EXPECT_EQ(state("<gone" + ns), simple::ComposingState::idle);
  EXPECT_EQ(state("<body>hi</body><active" + ns), std::nullopt);
  EXPECT_EQ(state(""), std::nullopt);
}

TEST(XmppToSipMessage, TypingForLyncIsKeyboardActivityInfo) {
  EXPECT_EQ(typingStyleFor(presence::System::lync), TypingStyle::keyboardActivityInfo);
  EXPECT_EQ(typingStyleFor(presence::System::ocs), TypingStyle::keyboardActivityInfo);
  EXPECT_EQ(typingStyleFor(presence::System::generic), TypingStyle::isComposingMessage);
  sip::Dialog dialog = sessionDialog();
  const sip::Message info =
      buildSessionTyping(dialog, simple::ComposingState::active, TypingStyle::keyboardActivityInfo);
  EXPECT_EQ(info.method(), "INFO");
  EXPECT_EQ(info.get("Content-Type"), "application/xml");
  EXPECT_EQ(info.body(), "<KeyboardActivity><status status=\"type\"/></KeyboardActivity>");
  const sip::Message idle =
      buildSessionTyping(dialog, simple::ComposingState::idle, TypingStyle::isComposingMessage);
  EXPECT_EQ(idle.method(), "MESSAGE");
  EXPECT_EQ(idle.get("Content-Type"), "application/im-iscomposing+xml");
  auto parsed = simple::parseIsComposing(idle.body());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->state, simple::ComposingState::idle);
}

TEST(XmppToSipMessage, PageModeIsComposing) {
  CountingRandom random;
  auto m = buildPageModeTyping(jid("alice@imp.test/x"), jid("bob@sip.test"),
                               simple::ComposingState::active, random);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->method(), "MESSAGE");
  EXPECT_EQ(m->requestUri(), "sip:bob@sip.test");
  auto parsed = simple::parseIsComposing(m->body());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->state, simple::ComposingState::active);
  EXPECT_EQ(parsed->refresh, 60u);
  EXPECT_EQ(parsed->contentType, "text/plain");
}

}  // namespace
}  // namespace impd::gateway::test
