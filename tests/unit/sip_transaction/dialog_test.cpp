// Dialogs (RFC 3261 §12): creation on both sides, route set order, in-dialog request shape
// with loose and strict routing, CSeq rules and target refresh.
#include "codec/sip/dialog.h"

#include <gtest/gtest.h>

#include <unordered_set>

#include "codec/sip/headers.h"
#include "sip_test_util.h"

namespace impd::sip::test {
namespace {

const char* const kInvite =
    "INVITE sips:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TLS client.atlanta.example.com:5061;branch=z9hG4bK74bf9\r\n"
    "Max-Forwards: 70\r\n"
    "From: Alice <sips:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sips:bob@biloxi.example.com>\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 31 INVITE\r\n"
    "Contact: <sips:alice@client.atlanta.example.com>\r\n"
    "Content-Length: 0\r\n\r\n";

// Proxies p1 (atlanta) then p2 (biloxi) record-routed; p2's entry is on top.
Message answer(const Message& invite, int status, std::string_view contact) {
  Message r = responseTo(invite, status, "8321234356");
  r.add("Record-Route", "<sip:p2.biloxi.example.com;lr>");
  r.add("Record-Route", "<sip:p1.atlanta.example.com;lr>");
  r.add("Contact", std::string(contact));
  return r;
}

TEST(Dialog, UacFromTwoHundredReversesTheRouteSet) {
  const Message invite = parsed(kInvite);
  auto d = Dialog::asUac(invite, answer(invite, 200, "<sips:bob@client.biloxi.example.com>"),
                         /*tls=*/true);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->id(),
            (DialogId{"3848276298220188511@atlanta.example.com", "9fxced76sl", "8321234356"}));
  EXPECT_EQ(d->state(), Dialog::State::Confirmed);
  EXPECT_TRUE(d->secure());
  EXPECT_EQ(d->remoteTarget(), "sips:bob@client.biloxi.example.com");
  EXPECT_EQ(d->routeSet(), (std::vector<std::string>{"<sip:p1.atlanta.example.com;lr>",
                                                     "<sip:p2.biloxi.example.com;lr>"}));
  EXPECT_EQ(d->localSeq(), 31u);
  EXPECT_FALSE(d->remoteSeq());
}

TEST(Dialog, InDialogRequestShapeWithLooseRouting) {
  const Message invite = parsed(kInvite);
  auto d = Dialog::asUac(invite, answer(invite, 200, "<sips:bob@client.biloxi.example.com>"));
  ASSERT_TRUE(d.ok());
  const Message bye = d->createRequest("BYE");
  EXPECT_EQ(bye.method(), "BYE");
  EXPECT_EQ(bye.requestUri(), "sips:bob@client.biloxi.example.com");
  EXPECT_EQ(bye.getAll("Route"), (std::vector<std::string_view>{"<sip:p1.atlanta.example.com;lr>",
                                                                "<sip:p2.biloxi.example.com;lr>"}));
  EXPECT_EQ(bye.get("From"), "Alice <sips:alice@atlanta.example.com>;tag=9fxced76sl");
  EXPECT_EQ(bye.get("To"), "Bob <sips:bob@biloxi.example.com>;tag=8321234356");
  EXPECT_EQ(bye.get("Call-ID"), "3848276298220188511@atlanta.example.com");
  EXPECT_EQ(bye.get("CSeq"), "32 BYE");
  EXPECT_EQ(bye.get("Max-Forwards"), "70");
  EXPECT_FALSE(bye.has("Contact"));  // BYE refreshes no target
  EXPECT_FALSE(bye.has("Via"));      // the transport's to add

  const Message reinvite = d->createRequest("INVITE");
  EXPECT_EQ(reinvite.get("CSeq"), "33 INVITE");
  EXPECT_EQ(reinvite.get("Contact"), "<sips:alice@client.atlanta.example.com>");
  const Message ack = d->createAck(33);
  EXPECT_EQ(ack.get("CSeq"), "33 ACK");
  EXPECT_EQ(d->localSeq(), 33u);
}

TEST(Dialog, StrictRouterGetsTheRequestUri) {
  const Message invite = parsed(kInvite);
  Message ok = responseTo(invite, 200, "t1");
  ok.add("Record-Route", "<sip:p2.example.com;lr>");
  ok.add("Record-Route", "<sip:old.example.com>");  // no lr: an RFC 2543 strict router
  ok.add("Contact", "<sip:bob@host.example.com>");
  auto d = Dialog::asUac(invite, ok);
  ASSERT_TRUE(d.ok());
  const Message bye = d->createRequest("BYE");
  EXPECT_EQ(bye.requestUri(), "sip:old.example.com");
  EXPECT_EQ(bye.getAll("Route"), (std::vector<std::string_view>{"<sip:p2.example.com;lr>",
                                                                "<sip:bob@host.example.com>"}));
}

TEST(Dialog, EarlyDialogFromProvisionalIsConfirmedByTwoHundred) {
  const Message invite = parsed(kInvite);
  Message ringing = responseTo(invite, 180, "8321234356");
  ringing.add("Contact", "<sips:bob@early.example.com>");
  auto d = Dialog::asUac(invite, ringing);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->state(), Dialog::State::Early);
  EXPECT_TRUE(d->routeSet().empty());
  ASSERT_TRUE(d->confirm(answer(invite, 200, "<sips:bob@final.example.com>")).ok());
  EXPECT_EQ(d->state(), Dialog::State::Confirmed);
  EXPECT_EQ(d->remoteTarget(), "sips:bob@final.example.com");
  EXPECT_EQ(d->routeSet().size(), 2u);  // recomputed from the 2xx (§13.2.2.4)
  EXPECT_FALSE(d->confirm(responseTo(invite, 486, "x")).ok());
}

TEST(Dialog, NoDialogWithoutToTagOrFromAHundred) {
  const Message invite = parsed(kInvite);
  Message noTag = responseTo(invite, 180);
  noTag.add("Contact", "<sip:bob@x.example.com>");
  EXPECT_FALSE(Dialog::asUac(invite, noTag).ok());
  Message trying = responseTo(invite, 100, "t");
  trying.add("Contact", "<sip:bob@x.example.com>");
  EXPECT_FALSE(Dialog::asUac(invite, trying).ok());
  EXPECT_FALSE(Dialog::asUac(invite, responseTo(invite, 200, "t")).ok());  // no Contact
}

TEST(Dialog, UasKeepsRecordRouteOrderAndAddsItsTag) {
  Message invite = parsed(kInvite);
  invite.add("Record-Route", "<sip:p2.biloxi.example.com;lr>");
  invite.add("Record-Route", "<sip:p1.atlanta.example.com;lr>");
  auto d = Dialog::asUas(invite, "uas-tag-1", "<sips:bob@client.biloxi.example.com>");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->id(),
            (DialogId{"3848276298220188511@atlanta.example.com", "uas-tag-1", "9fxced76sl"}));
  EXPECT_FALSE(d->secure());  // not over TLS
  EXPECT_EQ(d->remoteTarget(), "sips:alice@client.atlanta.example.com");
  EXPECT_EQ(d->routeSet(), (std::vector<std::string>{"<sip:p2.biloxi.example.com;lr>",
                                                     "<sip:p1.atlanta.example.com;lr>"}));
  EXPECT_EQ(d->remoteSeq(), 31u);
  EXPECT_FALSE(d->localSeq());

  const Message bye = d->createRequest("BYE");
  EXPECT_EQ(bye.get("CSeq"), "1 BYE");
  EXPECT_EQ(bye.requestUri(), "sips:alice@client.atlanta.example.com");
  EXPECT_EQ(bye.get("To"), invite.get("From"));
  auto from = NameAddr::parse(*bye.get("From"));
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->tag(), "uas-tag-1");
  EXPECT_EQ(from->uri().str(), "sips:bob@biloxi.example.com");
  EXPECT_EQ(bye.getAll("Route").front(), "<sip:p2.biloxi.example.com;lr>");
}

TEST(Dialog, LowerCSeqIsRefusedAndTargetRefreshed) {
  auto d = Dialog::asUas(parsed(kInvite), "uas-tag-1", "<sip:bob@b.example.com>");
  ASSERT_TRUE(d.ok());
  auto inDialog = [](std::string_view method, int cseq, std::string_view contact) {
    Message m = Message::request(std::string(method), "sip:bob@b.example.com");
    m.add("From", "Alice <sips:alice@atlanta.example.com>;tag=9fxced76sl");
    m.add("To", "Bob <sips:bob@biloxi.example.com>;tag=uas-tag-1");
    m.add("Call-ID", "3848276298220188511@atlanta.example.com");
    m.add("CSeq", std::to_string(cseq) + " " + std::string(method));
    if (!contact.empty()) m.add("Contact", std::string(contact));
    return m;
  };
  EXPECT_FALSE(d->acceptsRequest(inDialog("INFO", 30, "")));  // lower: 500 (§12.2.2)
  EXPECT_TRUE(d->acceptsRequest(inDialog("ACK", 31, "")));    // equal is fine
  EXPECT_TRUE(d->acceptsRequest(inDialog("INFO", 40, "<sip:ignored@x.example.com>")));
  EXPECT_EQ(d->remoteSeq(), 40u);
  EXPECT_EQ(d->remoteTarget(), "sips:alice@client.atlanta.example.com");  // INFO refreshes not
  EXPECT_TRUE(d->acceptsRequest(inDialog("INVITE", 41, "<sip:alice@moved.example.com>")));
  EXPECT_EQ(d->remoteTarget(), "sip:alice@moved.example.com");
  EXPECT_TRUE(d->acceptsRequest(inDialog("UPDATE", 42, "<sip:alice@again.example.com>")));
  EXPECT_EQ(d->remoteTarget(), "sip:alice@again.example.com");
  EXPECT_FALSE(d->acceptsRequest(inDialog("BYE", 41, "")));
}

TEST(Dialog, TwoHundredToOurTargetRefreshMovesTheTarget) {
  const Message invite = parsed(kInvite);
  auto d = Dialog::asUac(invite, answer(invite, 200, "<sips:bob@first.example.com>"));
  ASSERT_TRUE(d.ok());
  const Message reinvite = d->createRequest("INVITE");
  Message ok = responseTo(reinvite, 200);
  ok.add("Contact", "<sips:bob@second.example.com>");
  d->onResponse(ok);
  EXPECT_EQ(d->remoteTarget(), "sips:bob@second.example.com");
  const Message info = d->createRequest("INFO");
  Message infoOk = responseTo(info, 200);
  infoOk.add("Contact", "<sips:bob@third.example.com>");
  d->onResponse(infoOk);
  EXPECT_EQ(d->remoteTarget(), "sips:bob@second.example.com");
}

TEST(Dialog, NotifyCreatesTheSubscriberDialog) {
  Message subscribe = Message::request("SUBSCRIBE", "sip:bob@example.com");
  subscribe.add("From", "<sip:alice@example.org>;tag=sub1");
  subscribe.add("To", "<sip:bob@example.com>");
  subscribe.add("Call-ID", "sub-call@example.org");
  subscribe.add("CSeq", "7 SUBSCRIBE");
  subscribe.add("Contact", "<sip:alice@gw.example.org>");
  Message notify = Message::request("NOTIFY", "sip:alice@gw.example.org");
  notify.add("Record-Route", "<sip:edge.example.com;lr>");
  notify.add("From", "<sip:bob@example.com>;tag=not1");
  notify.add("To", "<sip:alice@example.org>;tag=sub1");
  notify.add("Call-ID", "sub-call@example.org");
  notify.add("CSeq", "1 NOTIFY");
  notify.add("Contact", "<sip:bob@pool.example.com>");
  auto d = Dialog::fromNotify(subscribe, notify);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->id(), (DialogId{"sub-call@example.org", "sub1", "not1"}));
  EXPECT_EQ(d->remoteTarget(), "sip:bob@pool.example.com");
  EXPECT_EQ(d->localSeq(), 7u);
  EXPECT_EQ(d->remoteSeq(), 1u);
  const Message refresh = d->createRequest("SUBSCRIBE");
  EXPECT_EQ(refresh.get("CSeq"), "8 SUBSCRIBE");
  EXPECT_EQ(refresh.get("To"), "<sip:bob@example.com>;tag=not1");
  EXPECT_EQ(refresh.get("Route"), "<sip:edge.example.com;lr>");
  EXPECT_EQ(refresh.get("Contact"), "<sip:alice@gw.example.org>");
}

TEST(DialogId, HashableAndTakenFromEitherSide) {
  const Message invite = parsed(kInvite);
  const Message ok = answer(invite, 200, "<sip:b@x.example.com>");
  auto uac = dialogIdOfResponse(ok);
  ASSERT_TRUE(uac.ok());
  EXPECT_EQ(uac->localTag, "9fxced76sl");
  EXPECT_EQ(uac->remoteTag, "8321234356");
  auto outside = dialogIdOfRequest(invite);
  ASSERT_TRUE(outside.ok());
  EXPECT_TRUE(outside->localTag.empty());

  std::unordered_set<DialogId> ids{*uac};
  EXPECT_TRUE(ids.contains(DialogId{uac->callId, "9fxced76sl", "8321234356"}));
  EXPECT_FALSE(ids.contains(DialogId{uac->callId, "8321234356", "9fxced76sl"}));
}

// A dialog kept across a restart carries on where it stopped, numbering past what the
// snapshot missed.
TEST(Dialog, RestoredFromItsSnapshotItGoesOnWithHigherCseq) {
  const Message invite = parsed(kInvite);
  auto d = Dialog::asUac(invite, answer(invite, 200, "<sips:bob@client.biloxi.example.com>"), true);
  ASSERT_TRUE(d.ok());
  (void)d->createRequest("MESSAGE");  // 32
  Dialog restored = Dialog::restore(d->snapshot(), 100);
  EXPECT_EQ(restored.id(), d->id());
  EXPECT_EQ(restored.secure(), d->secure());
  EXPECT_EQ(restored.remoteTarget(), d->remoteTarget());
  EXPECT_EQ(restored.routeSet(), d->routeSet());
  EXPECT_EQ(restored.localParty(), d->localParty());
  EXPECT_EQ(restored.remoteParty(), d->remoteParty());
  EXPECT_EQ(restored.localSeq(), 132u);
  Message next = restored.createRequest("MESSAGE");
  EXPECT_EQ(next.get("CSeq").value_or(""), "133 MESSAGE");
  EXPECT_EQ(next.requestUri(), d->createRequest("MESSAGE").requestUri());
}

TEST(Dialog, RestoredCseqStaysWithinThirtyOneBits) {
  const Message invite = parsed(kInvite);
  auto d = Dialog::asUac(invite, answer(invite, 200, "<sips:bob@client.biloxi.example.com>"));
  ASSERT_TRUE(d.ok());
  DialogSnapshot s = d->snapshot();
  s.localSeq = 0x7ffffff0u;
  EXPECT_EQ(Dialog::restore(s, 100000).localSeq(), 0x7fffffffu);
}

}  // namespace
}  // namespace impd::sip::test
