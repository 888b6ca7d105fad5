// The receiving side of s2s: features per TLS mode, STARTTLS, SASL EXTERNAL only with a
// valid certificate, dialback as Receiving and as Authoritative Server, and the rule that only
// authenticated (peer, local) pairs may send stanzas.
#include "s2s/inbound_stream.h"

#include <gtest/gtest.h>

#include "base/base64.h"
#include "codec/xmpp/dialback.h"
#include "fake_hosts.h"

namespace impd::s2s {
namespace {

using testing::FakeInboundHost;
using testing::peerHeader;
using testing::Wire;

config::Config makeConfig(config::S2sTls tls = config::S2sTls::kOptional) {
  config::Config c;
  c.server.domains = {"imp.test", "second.test"};
  c.s2s.tls = tls;
  c.s2s.policy = config::FederationPolicy::kDenylist;
  c.s2s.deny = {"denied.test"};
  return c;
}

class InboundStreamTest : public ::testing::Test {
 protected:
  explicit InboundStreamTest(config::S2sTls tls = config::S2sTls::kOptional)
      : config_(makeConfig(tls)), policy_(config_), stream_(settings_, policy_, host_, "test") {
    settings_.tls = tls;
    settings_.dialbackSecret = "secret";
    host_.wire = &wire_;
  }
  void feed(std::string_view bytes) { wire_.feed(bytes, stream_); }
  // Opens the stream, secures it with STARTTLS and opens it again.
  void openSecured(std::string_view from = "remote.test") {
    feed(peerHeader(from, "imp.test"));
    feed("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    ASSERT_TRUE(host_.tlsStarted);
    stream_.tlsEstablished();
    host_.take();
    feed(peerHeader(from, "imp.test"));
  }
  void authenticateWithDialback(std::string_view peer = "remote.test") {
    feed("<db:result from='" + std::string(peer) + "' to='imp.test'>key</db:result>");
    ASSERT_FALSE(host_.checks.empty());
    stream_.dialbackChecked(host_.checks.back(), {"valid", ""});
  }

  StreamSettings settings_;
  config::Config config_;
  Policy policy_;
  Wire wire_;
  FakeInboundHost host_;
  InboundStream stream_;
};

TEST_F(InboundStreamTest, AnswersHeaderAndOffersStartTlsAndDialback) {
  feed(peerHeader("remote.test", "imp.test"));
  const std::string out = host_.take();
  EXPECT_NE(out.find("from='imp.test'"), std::string::npos);
  EXPECT_NE(out.find("to='remote.test'"), std::string::npos);
  EXPECT_NE(out.find("id='id1'"), std::string::npos);
  EXPECT_NE(out.find("xmlns:db='jabber:server:dialback'"), std::string::npos);
  EXPECT_NE(out.find("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"), std::string::npos);
  EXPECT_NE(out.find("<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>"), std::string::npos);
  EXPECT_EQ(out.find("EXTERNAL"), std::string::npos);  // not before TLS
}

TEST_F(InboundStreamTest, WrongNamespaceIsInvalidNamespace) {
  feed("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
       "to='imp.test' version='1.0'>");
  EXPECT_NE(host_.take().find("<invalid-namespace"), std::string::npos);
  EXPECT_TRUE(host_.closed);
}

TEST_F(InboundStreamTest, UnknownLocalDomainIsHostUnknown) {
  feed(peerHeader("remote.test", "elsewhere.test"));
  EXPECT_NE(host_.take().find("<host-unknown"), std::string::npos);
  EXPECT_TRUE(host_.closed);
}

TEST_F(InboundStreamTest, DeniedDomainIsRefusedAtTheHeader) {
  feed(peerHeader("denied.test", "imp.test"));
  EXPECT_NE(host_.take().find("<policy-violation"), std::string::npos);
  EXPECT_TRUE(host_.closed);
}

TEST_F(InboundStreamTest, PeerClaimingALocalDomainIsInvalidFrom) {
  feed(peerHeader("second.test", "imp.test"));
  EXPECT_NE(host_.take().find("<invalid-from"), std::string::npos);
}

TEST_F(InboundStreamTest, ExternalOfferedOnlyWithAValidCertificate) {
  openSecured();
  EXPECT_EQ(host_.take().find("EXTERNAL"), std::string::npos);
  EXPECT_TRUE(stream_.secured());
}

TEST_F(InboundStreamTest, ExternalWithEmptyAuthzidAuthenticatesAndRestarts) {
  host_.certificateValid = true;
  openSecured();
  EXPECT_NE(host_.take().find("<mechanism>EXTERNAL</mechanism>"), std::string::npos);
  feed("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
  EXPECT_NE(host_.take().find("<success"), std::string::npos);
  EXPECT_TRUE(stream_.authenticated());
  feed(peerHeader("remote.test", "imp.test"));
  const std::string features = host_.take();
  EXPECT_EQ(features.find("EXTERNAL"), std::string::npos);  // done already
  feed("<message from='bob@remote.test' to='alice@imp.test'><body>hi</body></message>");
  ASSERT_EQ(host_.delivered.size(), 1u);
  EXPECT_EQ(host_.delivered[0].ns(), "jabber:client");
  EXPECT_EQ(host_.delivered[0].child("body")->ns(), "jabber:client");
}

TEST_F(InboundStreamTest, ExternalAcceptsTheStreamDomainAsAuthzid) {
  host_.certificateValid = true;
  openSecured();
  feed("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>" + base64Encode("remote.test") +
       "</auth>");
  EXPECT_NE(host_.take().find("<success"), std::string::npos);
}

TEST_F(InboundStreamTest, ExternalRefusesAnotherAuthzid) {
  host_.certificateValid = true;
  openSecured();
  host_.take();
  feed("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>" + base64Encode("other.test") +
       "</auth>");
  EXPECT_NE(host_.take().find("<invalid-authzid/>"), std::string::npos);
  EXPECT_FALSE(stream_.authenticated());
  EXPECT_FALSE(host_.closed);  // the peer may still fall back to dialback
}

TEST_F(InboundStreamTest, ExternalWithoutValidCertificateIsNotAuthorized) {
  openSecured();
  host_.take();
  feed("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
  EXPECT_NE(host_.take().find("<not-authorized/>"), std::string::npos);
  EXPECT_FALSE(stream_.authenticated());
}

TEST_F(InboundStreamTest, DialbackAsksTheAuthoritativeServerWithOurStreamId) {
  feed(peerHeader("remote.test", "imp.test"));
  host_.take();
  feed("<db:result from='remote.test' to='imp.test'>abc123</db:result>");
  ASSERT_EQ(host_.checks.size(), 1u);
  EXPECT_EQ(host_.checks[0].peer, "remote.test");
  EXPECT_EQ(host_.checks[0].local, "imp.test");
  EXPECT_EQ(host_.checks[0].streamId, "id1");
  EXPECT_EQ(host_.checks[0].key, "abc123");
  EXPECT_FALSE(stream_.authenticated());
  stream_.dialbackChecked(host_.checks[0], {"valid", ""});
  EXPECT_NE(host_.take().find("<db:result from='imp.test' to='remote.test' type='valid'/>"), std::string::npos);
  EXPECT_TRUE(stream_.authenticated());
}

TEST_F(InboundStreamTest, InvalidDialbackKeyClosesTheStream) {
  feed(peerHeader("remote.test", "imp.test"));
  feed("<db:result from='remote.test' to='imp.test'>bad</db:result>");
  stream_.dialbackChecked(host_.checks[0], {"invalid", ""});
  const std::string out = host_.take();
  EXPECT_NE(out.find("type='invalid'"), std::string::npos);
  EXPECT_NE(out.find("<not-authorized"), std::string::npos);
  EXPECT_TRUE(host_.closed);
}

TEST_F(InboundStreamTest, DialbackThatCannotBeCheckedIsANonFatalError) {
  feed(peerHeader("remote.test", "imp.test"));
  feed("<db:result from='remote.test' to='imp.test'>k</db:result>");
  stream_.dialbackChecked(host_.checks[0], {"error", "remote-connection-failed"});
  EXPECT_NE(host_.take().find("type='error'><error type='cancel'><remote-connection-failed"), std::string::npos);
  EXPECT_FALSE(host_.closed);
}

TEST_F(InboundStreamTest, DialbackForADeniedDomainIsRefusedWithoutAsking) {
  feed(peerHeader("", "imp.test"));
  feed("<db:result from='denied.test' to='imp.test'>k</db:result>");
  EXPECT_TRUE(host_.checks.empty());
  EXPECT_NE(host_.take().find("<policy-violation"), std::string::npos);
}

TEST_F(InboundStreamTest, DialbackForADomainWeDoNotHostIsItemNotFound) {
  feed(peerHeader("remote.test", "imp.test"));
  feed("<db:result from='remote.test' to='nothere.test'>k</db:result>");
  EXPECT_TRUE(host_.checks.empty());
  EXPECT_NE(host_.take().find("<item-not-found"), std::string::npos);
}

TEST_F(InboundStreamTest, StanzaBeforeAuthenticationIsNotAuthorized) {
  feed(peerHeader("remote.test", "imp.test"));
  feed("<message from='bob@remote.test' to='alice@imp.test'/>");
  EXPECT_NE(host_.take().find("<not-authorized"), std::string::npos);
  EXPECT_TRUE(host_.delivered.empty());
}

TEST_F(InboundStreamTest, StanzaFromAnUnauthenticatedDomainIsInvalidFrom) {
  feed(peerHeader("remote.test", "imp.test"));
  authenticateWithDialback();
  feed("<message from='mallory@spoofed.test' to='alice@imp.test'/>");
  EXPECT_NE(host_.take().find("<invalid-from"), std::string::npos);
  EXPECT_TRUE(host_.delivered.empty());
}

TEST_F(InboundStreamTest, StanzaToAnotherLocalDomainNeedsItsOwnPair) {
  feed(peerHeader("remote.test", "imp.test"));
  authenticateWithDialback();
  feed("<message from='bob@remote.test' to='carol@second.test'/>");
  EXPECT_NE(host_.take().find("<host-unknown"), std::string::npos);
}

TEST_F(InboundStreamTest, AnswersDialbackVerifyFromTheSharedSecret) {
  feed(peerHeader("remote.test", "imp.test"));
  host_.take();
  const std::string key = xmpp::dialbackKey("secret", "remote.test", "imp.test", "S1");
  feed("<db:verify from='remote.test' to='imp.test' id='S1'>" + key + "</db:verify>");
  EXPECT_NE(host_.take().find("<db:verify from='imp.test' to='remote.test' id='S1' type='valid'/>"),
            std::string::npos);
  feed("<db:verify from='remote.test' to='imp.test' id='S2'>" + key + "</db:verify>");
  EXPECT_NE(host_.take().find("id='S2' type='invalid'"), std::string::npos);
  EXPECT_FALSE(stream_.authenticated());  // a verify authenticates nobody
}

TEST_F(InboundStreamTest, PeerStreamErrorEndsTheStreamQuietly) {
  feed(peerHeader("remote.test", "imp.test"));
  host_.take();
  feed("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
  EXPECT_EQ(host_.take(), "</stream:stream>");
  EXPECT_TRUE(host_.closed);
}

TEST_F(InboundStreamTest, UnknownTopLevelElementIsUnsupportedStanzaType) {
  feed(peerHeader("remote.test", "imp.test"));
  feed("<foo xmlns='urn:example'/>");
  EXPECT_NE(host_.take().find("<unsupported-stanza-type"), std::string::npos);
}

class InboundTlsRequiredTest : public InboundStreamTest {
 protected:
  InboundTlsRequiredTest() : InboundStreamTest(config::S2sTls::kRequired) {}
};

TEST_F(InboundTlsRequiredTest, OffersOnlyRequiredStartTlsFirst) {
  feed(peerHeader("remote.test", "imp.test"));
  const std::string out = host_.take();
  EXPECT_NE(out.find("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"), std::string::npos);
  EXPECT_EQ(out.find("dialback xmlns"), std::string::npos);
}

TEST_F(InboundTlsRequiredTest, DialbackBeforeTlsIsAPolicyViolation) {
  feed(peerHeader("remote.test", "imp.test"));
  feed("<db:result from='remote.test' to='imp.test'>k</db:result>");
  EXPECT_TRUE(host_.checks.empty());
  EXPECT_NE(host_.take().find("<policy-violation"), std::string::npos);
}

class InboundTlsDisabledTest : public InboundStreamTest {
 protected:
  InboundTlsDisabledTest() : InboundStreamTest(config::S2sTls::kDisabled) {}
};

TEST_F(InboundTlsDisabledTest, OffersNoStartTlsAndRefusesIt) {
  feed(peerHeader("remote.test", "imp.test"));
  EXPECT_EQ(host_.take().find("starttls"), std::string::npos);
  feed("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  EXPECT_NE(host_.take().find("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"), std::string::npos);
  EXPECT_FALSE(host_.tlsStarted);
  EXPECT_TRUE(host_.closed);
}

}  // namespace
}  // namespace impd::s2s
