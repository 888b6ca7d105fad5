// Errors across the gateway, and the refusal of group chat towards SIP contacts.
#include "gateway/error_translation.h"

#include <gtest/gtest.h>

#include "gateway/group_chat_refusal.h"
#include "test_util.h"

namespace impd::gateway::test {
namespace {

const char* const kChat =
    "<message xmlns='jabber:client' from='alice@imp.test/laptop' to='bob@lync.test' "
    "type='chat' id='m1'><body>hi</body></message>";

sip::Message failure(int status, std::string_view reason, std::string_view extra = {}) {
  std::string text = "SIP/2.0 " + std::to_string(status) + " " + std::string(reason) + "\n" +
                     "Via: SIP/2.0/TLS gw.imp.test:5061;branch=z9hG4bKe\n"
                     "From: <sip:alice@imp.test>;tag=a\n"
                     "To: <sip:bob@lync.test>;tag=b\n"
                     "Call-ID: c\n"
                     "CSeq: 1 MESSAGE\n" +
                     std::string(extra) + "Content-Length: 0\n\n";
  return sipLiteral(text);
}

TEST(ErrorTranslation, SipFailureBecomesMessageError) {
  const xml::Element reply = xmppErrorForSipResponse(xmlLiteral(kChat),
                                                     failure(480, "Temporarily Unavailable"));
  EXPECT_EQ(xmlOf(reply),
            "<message xmlns=\"jabber:client\" to=\"alice@imp.test/laptop\" from=\"bob@lync.test\" "
            "id=\"m1\" type=\"error\"><error type=\"wait\"><recipient-unavailable "
            "xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/><text "
            "xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\">SIP 480 Temporarily Unavailable</text>"
            "</error></message>");
}

TEST(ErrorTranslation, ConditionAndTypePerStatus) {
  struct Row {
    int status;
    std::string_view condition;
    std::string_view type;
  };
  for (const Row& row : {Row{404, "item-not-found", "cancel"}, Row{403, "forbidden", "auth"},
                         Row{408, "remote-server-timeout", "wait"},
                         Row{488, "not-acceptable", "modify"},
                         Row{503, "service-unavailable", "cancel"},
                         Row{415, "bad-request", "modify"}, Row{599, "internal-server-error",
                                                                 "cancel"}}) {
    const xml::Element reply = xmppErrorForSipResponse(xmlLiteral(kChat), failure(row.status, "X"));
    EXPECT_EQ(errorConditionOf(reply), row.condition) << row.status;
    EXPECT_EQ(reply.child("error")->attr("type"), row.type) << row.status;
  }
}

TEST(ErrorTranslation, LyncPolicyWarningIsShown) {
  const xml::Element reply = xmppErrorForSipResponse(
      xmlLiteral(kChat),
      failure(606, "Not Acceptable",
              "Warning: 309 lync.test \"The message contents are not allowed by policy\"\n"));
  EXPECT_EQ(errorConditionOf(reply), "not-acceptable");  // RFC 7247: 606
  EXPECT_EQ(reply.child("error")->childText("text", "urn:ietf:params:xml:ns:xmpp-stanzas"),
            "SIP 606 Not Acceptable: The message contents are not allowed by policy");
}

TEST(ErrorTranslation, PresenceGetsAPresenceError) {
  const xml::Element reply = xmppErrorForSipResponse(
      xmlLiteral("<presence xmlns='jabber:client' from='alice@imp.test' to='bob@lync.test'/>"),
      failure(503, "Service Unavailable"));
  EXPECT_EQ(reply.name(), "presence");
  EXPECT_EQ(reply.attr("type"), "error");
}

sip::Message inboundMessage() {
  return sipLiteral(
      "MESSAGE sip:alice@imp.test SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bKq\n"
      "From: <sip:bob@lync.test>;tag=b\n"
      "To: <sip:alice@imp.test>\n"
      "Call-ID: q1\n"
      "CSeq: 7 MESSAGE\n"
      "Content-Type: text/plain\n\n"
      "hi");
}

xml::Element errorStanza(std::string_view condition, std::string_view inner = {}) {
  return xmlLiteral(
      "<message xmlns='jabber:client' type='error' from='alice@imp.test' to='bob@lync.test'>"
      "<error type='cancel'><" + std::string(condition) +
      " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>" + std::string(inner) + "</" +
      std::string(condition) +
      "><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>why</text></error></message>");
}

TEST(ErrorTranslation, XmppErrorBecomesSipStatus) {
  struct Row {
    std::string_view condition;
    int status;
  };
  for (const Row& row : {Row{"item-not-found", 404}, Row{"service-unavailable", 503},
                         Row{"recipient-unavailable", 480}, Row{"forbidden", 403},
                         Row{"policy-violation", 403}, Row{"not-acceptable", 406},
                         Row{"feature-not-implemented", 501}, Row{"gone", 410},
                         Row{"no-such-condition", 400}}) {
    const xml::Element error = errorStanza(row.condition);
    EXPECT_EQ(sipStatusForXmppErrorStanza(error), row.status) << row.condition;
    const sip::Message response = sipResponseForXmppError(inboundMessage(), error);
    EXPECT_EQ(response.status(), row.status);
    EXPECT_EQ(response.get("CSeq"), "7 MESSAGE");
    EXPECT_EQ(response.get("Call-ID"), "q1");
  }
  // gone with a new address is a redirect-like 301.
  EXPECT_EQ(sipStatusForXmppErrorStanza(errorStanza("gone", "xmpp:alice@new.test")), 301);
  EXPECT_EQ(errorConditionOf(xmlLiteral("<message xmlns='jabber:client' type='error'/>")),
            "undefined-condition");
}

TEST(ErrorTranslation, RefusalsForTranslationErrors) {
  const sip::Message request = inboundMessage();
  sip::Message r = sipRefusalFor(request, makeError("unsupported-media-type"));
  EXPECT_EQ(r.status(), 415);
  EXPECT_EQ(r.get("Accept"),
            "text/plain, text/html, multipart/alternative, application/im-iscomposing+xml");
  EXPECT_EQ(sipRefusalFor(request, makeError("too-large")).status(), 413);
  r = sipRefusalFor(request, makeError("bad-event"));
  EXPECT_EQ(r.status(), 489);
  EXPECT_EQ(r.get("Allow-Events"), "presence");
  EXPECT_EQ(sipRefusalFor(request, makeError("jid-malformed")).status(), 400);
  EXPECT_EQ(sipRefusalFor(request, makeError("item-not-found")).status(), 404);
  EXPECT_EQ(sipRefusalFor(request, makeError("bad-request")).status(), 400);
  EXPECT_EQ(sipRefusalFor(request, makeError("too-large"), "gw-1").get("To"),
            "<sip:alice@imp.test>;tag=gw-1");
}

TEST(GroupChatRefusal, DetectsBothInvitationKinds) {
  const xml::Element mediated = xmlLiteral(
      "<message xmlns='jabber:client' from='room@conference.imp.test' to='bob@lync.test' "
      "id='inv1'><x xmlns='http://jabber.org/protocol/muc#user'>"
      "<invite from='alice@imp.test/laptop'><reason>Join us</reason></invite></x></message>");
  const xml::Element direct = xmlLiteral(
      "<message xmlns='jabber:client' from='alice@imp.test/laptop' to='bob@lync.test' "
      "id='inv2'><x xmlns='jabber:x:conference' jid='room@conference.imp.test'/></message>");
  const xml::Element mucPresenceEcho = xmlLiteral(
      "<message xmlns='jabber:client' from='room@conference.imp.test' to='bob@lync.test'>"
      "<x xmlns='http://jabber.org/protocol/muc#user'><status code='104'/></x></message>");
  EXPECT_TRUE(isGroupChatInvitation(mediated));
  EXPECT_TRUE(isGroupChatInvitation(direct));
  EXPECT_FALSE(isGroupChatInvitation(mucPresenceEcho));
  EXPECT_FALSE(isGroupChatInvitation(xmlLiteral(kChat)));

  auto reply = refuseGroupChatToSip(direct);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr("type"), "error");
  EXPECT_EQ(reply->attr("to"), "alice@imp.test/laptop");
  EXPECT_EQ(reply->attr("from"), "bob@lync.test");
  EXPECT_EQ(reply->attr("id"), "inv2");
  EXPECT_EQ(errorConditionOf(*reply), "feature-not-implemented");
  EXPECT_EQ(reply->child("error")->attr("type"), "cancel");
  EXPECT_EQ(reply->child("error")->childText("text", "urn:ietf:params:xml:ns:xmpp-stanzas"),
            kGroupChatRefusalText);
  reply = refuseGroupChatToSip(mediated);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr("to"), "room@conference.imp.test");
}

TEST(GroupChatRefusal, GroupchatTypeIsRefusedAndOthersPass) {
  EXPECT_TRUE(refuseGroupChatToSip(xmlLiteral(
      "<message xmlns='jabber:client' from='room@conference.imp.test/al' to='bob@lync.test' "
      "type='groupchat'><body>hi all</body></message>")));
  EXPECT_FALSE(refuseGroupChatToSip(xmlLiteral(kChat)));
  // An error is never answered with an error.
  EXPECT_FALSE(refuseGroupChatToSip(xmlLiteral(
      "<message xmlns='jabber:client' type='error'><x xmlns='jabber:x:conference'/></message>")));
}

}  // namespace
}  // namespace impd::gateway::test
