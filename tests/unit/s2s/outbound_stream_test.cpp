// The initiating side of s2s: STARTTLS per TLS mode, SASL EXTERNAL when the peer offers it,
// dialback otherwise (with the XEP-0185 key for the peer's stream id), and db:verify questions
// for inbound streams riding on this stream.
#include "s2s/outbound_stream.h"

#include <gtest/gtest.h>

#include "base/base64.h"
#include "codec/xmpp/dialback.h"
#include "fake_hosts.h"

namespace impd::s2s {
namespace {

using testing::FakeOutboundHost;
using testing::peerHeader;
using testing::Wire;

constexpr std::string_view kStartTls =
    "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
    "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback></stream:features>";
constexpr std::string_view kDialbackOnly =
    "<stream:features><dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback></stream:features>";
constexpr std::string_view kExternal =
    "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism>"
    "</mechanisms><dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback></stream:features>";

class OutboundStreamTest : public ::testing::Test {
 protected:
  explicit OutboundStreamTest(config::S2sTls tls = config::S2sTls::kOptional)
      : stream_(settings_, "imp.test", "remote.test", host_) {
    settings_.tls = tls;
    settings_.dialbackSecret = "secret";
    host_.wire = &wire_;
  }
  void feed(std::string_view bytes) { wire_.feed(bytes, stream_); }
  void secure() {
    stream_.connected(false);
    feed(peerHeader("remote.test", "imp.test", "S1"));
    feed(kStartTls);
    ASSERT_NE(host_.take().find("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"), std::string::npos);
    feed("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    ASSERT_TRUE(host_.tlsStarted);
    stream_.tlsEstablished();
    host_.take();
    feed(peerHeader("remote.test", "imp.test", "S2"));
  }

  StreamSettings settings_;
  Wire wire_;
  FakeOutboundHost host_;
  OutboundStream stream_;
};

TEST_F(OutboundStreamTest, OpensWithFromAndTo) {
  stream_.connected(false);
  const std::string out = host_.take();
  EXPECT_NE(out.find("from='imp.test'"), std::string::npos);
  EXPECT_NE(out.find("to='remote.test'"), std::string::npos);
  EXPECT_NE(out.find("version='1.0'"), std::string::npos);
}

TEST_F(OutboundStreamTest, StartTlsThenExternal) {
  secure();
  feed(kExternal);
  EXPECT_EQ(host_.take(), "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>" +
                              base64Encode("imp.test") + "</auth>");
  feed("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  EXPECT_NE(host_.take().find("<stream:stream"), std::string::npos);  // restart
  EXPECT_FALSE(stream_.established());
  feed(peerHeader("remote.test", "imp.test", "S3"));
  feed("<stream:features/>");
  EXPECT_TRUE(stream_.established());
  EXPECT_EQ(host_.establishedBy, "SASL EXTERNAL");
}

TEST_F(OutboundStreamTest, ExternalRefusedFallsBackToDialback) {
  secure();
  feed(kExternal);
  host_.take();
  feed("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
  EXPECT_NE(host_.take().find("<db:result from='imp.test' to='remote.test'>"), std::string::npos);
}

TEST_F(OutboundStreamTest, DialbackKeyUsesThePeersLatestStreamId) {
  secure();
  feed(kDialbackOnly);
  const std::string key = xmpp::dialbackKey("secret", "remote.test", "imp.test", "S2");
  EXPECT_EQ(host_.take(), "<db:result from='imp.test' to='remote.test'>" + key + "</db:result>");
  feed("<db:result from='remote.test' to='imp.test' type='valid'/>");
  EXPECT_TRUE(stream_.established());
  EXPECT_EQ(host_.establishedBy, "dialback");
}

TEST_F(OutboundStreamTest, ResultsForOtherPairsAreIgnored) {
  secure();
  feed(kDialbackOnly);
  feed("<db:result from='other.test' to='imp.test' type='valid'/>");
  EXPECT_FALSE(stream_.established());
}

TEST_F(OutboundStreamTest, InvalidDialbackFails) {
  secure();
  feed(kDialbackOnly);
  feed("<db:result from='remote.test' to='imp.test' type='invalid'/>");
  EXPECT_EQ(host_.failedWith, "remote-server-not-found");
  EXPECT_TRUE(stream_.closed());
}

TEST_F(OutboundStreamTest, StanzasGoOutInJabberServer) {
  secure();
  feed(kDialbackOnly);
  feed("<db:result from='remote.test' to='imp.test' type='valid'/>");
  host_.take();
  xml::Element message("message", "jabber:client");
  message.setAttr("from", "alice@imp.test/a");
  message.setAttr("to", "bob@remote.test");
  message.addChild("body", "jabber:client").addText("hi");
  stream_.sendStanza(message);
  EXPECT_EQ(host_.take(), "<message from=\"alice@imp.test/a\" to=\"bob@remote.test\"><body>hi</body></message>");
}

TEST_F(OutboundStreamTest, VerifyWaitsUntilTheStreamCanCarryIt) {
  stream_.connected(false);
  stream_.askVerify({"remote.test", "imp.test", "IN1", "k1"});
  feed(peerHeader("remote.test", "imp.test", "S1"));
  feed(kStartTls);
  EXPECT_EQ(host_.out.find("db:verify"), std::string::npos);  // not before TLS
  feed("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  stream_.tlsEstablished();
  feed(peerHeader("remote.test", "imp.test", "S2"));
  feed(kDialbackOnly);
  EXPECT_NE(host_.take().find("<db:verify from='imp.test' to='remote.test' id='IN1'>k1</db:verify>"),
            std::string::npos);
  feed("<db:verify from='remote.test' to='imp.test' id='IN1' type='valid'/>");
  ASSERT_EQ(host_.answers.size(), 1u);
  EXPECT_EQ(host_.answers[0].first.streamId, "IN1");
  EXPECT_EQ(host_.answers[0].second.type, "valid");
}

TEST_F(OutboundStreamTest, UnansweredVerifiesFailWithTheStream) {
  stream_.connected(false);
  stream_.askVerify({"remote.test", "imp.test", "IN1", "k1"});
  feed(peerHeader("remote.test", "imp.test", "S1"));
  feed("<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
  ASSERT_EQ(host_.answers.size(), 1u);
  EXPECT_EQ(host_.answers[0].second.type, "error");
  EXPECT_EQ(host_.answers[0].second.condition, "remote-connection-failed");
  EXPECT_NE(host_.failReason.find("host-unknown"), std::string::npos);
}

TEST_F(OutboundStreamTest, PeerRequiringTlsWhenOursIsDisabledFails) {
  settings_.tls = config::S2sTls::kDisabled;
  stream_.connected(false);
  feed(peerHeader("remote.test", "imp.test", "S1"));
  feed("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>");
  EXPECT_FALSE(host_.tlsStarted);
  EXPECT_NE(host_.failReason.find("requires TLS"), std::string::npos);
}

TEST_F(OutboundStreamTest, TlsRequiredAndNotOfferedFails) {
  settings_.tls = config::S2sTls::kRequired;
  stream_.connected(false);
  feed(peerHeader("remote.test", "imp.test", "S1"));
  feed(kDialbackOnly);
  EXPECT_EQ(host_.out.find("db:result"), std::string::npos);
  EXPECT_NE(host_.failReason.find("does not offer TLS"), std::string::npos);
}

TEST_F(OutboundStreamTest, TlsDisabledGoesStraightToDialback) {
  settings_.tls = config::S2sTls::kDisabled;
  stream_.connected(false);
  feed(peerHeader("remote.test", "imp.test", "S1"));
  feed(kStartTls);
  EXPECT_FALSE(host_.tlsStarted);
  EXPECT_NE(host_.take().find("<db:result"), std::string::npos);
}

TEST_F(OutboundStreamTest, PreVersionOnePeerGetsDialbackAtOnce) {
  stream_.connected(false);
  host_.take();
  feed("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
       "xmlns:db='jabber:server:dialback' id='OLD'>");
  const std::string key = xmpp::dialbackKey("secret", "remote.test", "imp.test", "OLD");
  EXPECT_EQ(host_.take(), "<db:result from='imp.test' to='remote.test'>" + key + "</db:result>");
}

TEST_F(OutboundStreamTest, DirectTlsNeedsNoStartTls) {
  stream_.connected(true);
  feed(peerHeader("remote.test", "imp.test", "S1"));
  host_.take();
  feed(kExternal);
  EXPECT_NE(host_.take().find("mechanism='EXTERNAL'"), std::string::npos);
}

}  // namespace
}  // namespace impd::s2s
