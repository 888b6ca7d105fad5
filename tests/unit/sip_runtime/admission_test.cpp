// Admission of inbound requests: federated From domain, proof by certificate or static route,
// and requests addressed to us.
#include "sip/admission.h"

#include <gtest/gtest.h>

#include "test_certs.h"
#include "test_messages.h"

namespace impd::sip {
namespace {

using test::RequestSpec;

config::SipFederatedDomain federated(std::string domain, std::optional<std::string> routeHost = std::nullopt) {
  config::SipFederatedDomain fed;
  fed.domain = std::move(domain);
  if (routeHost) fed.route = config::SipAddress{config::SipTransport::kTcp, *routeHost, 5060};
  return fed;
}

class AdmissionTest : public ::testing::Test {
 protected:
  AdmissionTest() {
    policy_.localDomains = {"imp.test", "other.imp.test"};
    policy_.localHosts = {"sip.imp.test", "127.0.0.20"};
    policy_.federated = {federated("lync.test"), federated("lab.test", "127.0.0.9"),
                         federated("named.test", "edge.named.test")};
    trusted_.presented = trusted_.trusted = true;
    trusted_.names = extractIdentities(test::certificate("edge", {test::dns("lync.test")}).get());
  }

  Verdict overTls(const RequestSpec& spec, const PeerCertificate* cert) {
    return admit(test::request(spec), {TransportKind::Tls, "192.0.2.7", cert}, policy_, routes_, false);
  }
  Verdict overTcp(const RequestSpec& spec, std::string address) {
    return admit(test::request(spec), {TransportKind::Tcp, std::move(address), nullptr}, policy_, routes_, false);
  }

  AdmissionPolicy policy_;
  PeerCertificate trusted_;
  RouteAddresses routes_ = [](std::string_view domain) {
    if (domain == "lab.test") return std::vector<std::string>{"127.0.0.9", "::1"};
    return std::vector<std::string>{};
  };
};

TEST_F(AdmissionTest, TlsPeerCertifiedForItsDomain) {
  auto verdict = overTls({}, &trusted_);
  EXPECT_TRUE(verdict.admitted()) << verdict.warning;
  EXPECT_EQ(verdict.domain, "lync.test");
  RequestSpec upper;
  upper.from = "\"Bob\" <sip:bob@LYNC.Test>;tag=9";
  EXPECT_TRUE(overTls(upper, &trusted_).admitted());
}

TEST_F(AdmissionTest, DomainNotFederated) {
  RequestSpec spec;
  spec.from = "<sip:eve@evil.test>;tag=1";
  auto verdict = overTls(spec, &trusted_);
  EXPECT_EQ(verdict.status, 403);
  EXPECT_NE(verdict.warning.find("evil.test is not a federated domain"), std::string::npos) << verdict.warning;
  spec.from = "<tel:+15551234>;tag=1";
  EXPECT_EQ(overTls(spec, &trusted_).status, 403);
}

TEST_F(AdmissionTest, TlsCertificateMustNameTheFromDomain) {
  PeerCertificate other = trusted_;
  other.names = extractIdentities(test::certificate("x", {test::dns("other.test")}).get());
  auto verdict = overTls({}, &other);
  EXPECT_EQ(verdict.status, 403);
  EXPECT_NE(verdict.warning.find("does not name lync.test"), std::string::npos) << verdict.warning;

  PeerCertificate untrusted = trusted_;
  untrusted.trusted = false;
  untrusted.problem = "self-signed certificate";
  EXPECT_EQ(overTls({}, &untrusted).status, 403);
  EXPECT_EQ(overTls({}, nullptr).status, 403);
  const PeerCertificate none;
  EXPECT_EQ(overTls({}, &none).status, 403) << "no client certificate";
}

TEST_F(AdmissionTest, PlainTransportsNeedTheStaticRouteAddress) {
  RequestSpec spec;
  spec.from = "<sip:bob@lab.test>;tag=1";
  EXPECT_TRUE(overTcp(spec, "127.0.0.9").admitted());
  EXPECT_TRUE(overTcp(spec, "0:0::1").admitted()) << "addresses compare by value";
  auto wrong = overTcp(spec, "127.0.0.10");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(wrong.warning.find("not the static route of lab.test"), std::string::npos) << wrong.warning;
  EXPECT_EQ(overTcp({}, "192.0.2.7").status, 403) << "lync.test has no route: TLS only";
  spec.from = "<sip:bob@named.test>;tag=1";
  EXPECT_EQ(overTcp(spec, "127.0.0.9").status, 403) << "route name not resolved (yet)";
}

TEST_F(AdmissionTest, RequestUriMustBeOurs) {
  RequestSpec spec;
  spec.uri = "sip:alice@elsewhere.test";
  EXPECT_EQ(overTls(spec, &trusted_).status, 404);
  spec.uri = "sip:alice@other.imp.test";
  spec.to = "<sip:alice@other.imp.test>";
  EXPECT_TRUE(overTls(spec, &trusted_).admitted());
  spec.uri = "sip:sip.imp.test;transport=tls";  // our Contact: in-dialog requests target it
  EXPECT_TRUE(overTls(spec, &trusted_).admitted());
  spec.uri = "sip:127.0.0.20:5060";
  EXPECT_TRUE(overTls(spec, &trusted_).admitted());
  spec.uri = "tel:+15551234";
  EXPECT_EQ(overTls(spec, &trusted_).status, 416);
}

TEST_F(AdmissionTest, AuthenticationComesBeforeRouting) {
  RequestSpec spec;
  spec.uri = "sip:alice@elsewhere.test";
  EXPECT_EQ(overTls(spec, nullptr).status, 403) << "an unproven peer learns nothing about our users";
}

TEST_F(AdmissionTest, ToMustBeOurs) {
  RequestSpec spec;
  spec.to = "<sip:alice@elsewhere.test>";
  EXPECT_EQ(overTls(spec, &trusted_).status, 403);
  spec.to = "<tel:+15551234>";
  EXPECT_TRUE(overTls(spec, &trusted_).admitted()) << "RFC 3261 §8.2.2.1: accept a To we cannot read";
}

TEST_F(AdmissionTest, MalformedAddressesAreBadRequests) {
  RequestSpec spec;
  spec.from = "<sip:bob@lync.test";
  EXPECT_EQ(overTls(spec, &trusted_).status, 400);
  spec = {};
  spec.to = "sip:alice@imp.test>";
  EXPECT_EQ(overTls(spec, &trusted_).status, 400);
}

TEST_F(AdmissionTest, OptionsAndKnownDialogsAreExempt) {
  RequestSpec options;
  options.method = "OPTIONS";
  options.uri = "sip:nowhere.test";
  options.from = "<sip:eve@evil.test>;tag=1";
  auto verdict = admit(test::request(options), {TransportKind::Udp, "198.51.100.1", nullptr}, policy_, routes_, false);
  EXPECT_TRUE(verdict.admitted());
  EXPECT_EQ(verdict.domain, "");

  RequestSpec bye;
  bye.method = "BYE";
  bye.from = "<sip:eve@evil.test>;tag=1";
  bye.to = "<sip:alice@imp.test>;tag=2";
  EXPECT_FALSE(admit(test::request(bye), {TransportKind::Tcp, "198.51.100.1", nullptr}, policy_, routes_, false)
                   .admitted());
  EXPECT_TRUE(admit(test::request(bye), {TransportKind::Tcp, "198.51.100.1", nullptr}, policy_, routes_, true)
                  .admitted());
}

TEST(AdmissionPolicyTest, LocalHostsCompareLoosely) {
  AdmissionPolicy policy;
  policy.localDomains = {"imp.test"};
  policy.localHosts = {"::1"};
  EXPECT_TRUE(policy.isLocal("IMP.TEST."));
  EXPECT_TRUE(policy.isLocal("[::1]"));
  EXPECT_FALSE(policy.isLocal("imp.test.evil"));
  EXPECT_EQ(normalizeHost("[::1]"), "::1");
}

}  // namespace
}  // namespace impd::sip
