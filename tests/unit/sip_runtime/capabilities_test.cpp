// What the runtime does with admitted requests: handler, OPTIONS, 405, 501, 420.
#include "sip/capabilities.h"

#include <gtest/gtest.h>

#include "test_messages.h"

namespace impd::sip {
namespace {

using test::RequestSpec;

Message withMethod(std::string method, std::string extra = {}, std::string uri = "sip:alice@imp.test") {
  RequestSpec spec;
  spec.method = std::move(method);
  spec.extra = std::move(extra);
  spec.uri = std::move(uri);
  return test::request(spec);
}

TEST(Capabilities, WithoutAHandlerOnlyOptionsIsServed) {
  Capabilities caps;
  EXPECT_EQ(caps.allowHeader(), "OPTIONS");
  EXPECT_EQ(dispose(withMethod("OPTIONS"), caps), Disposition::kOptions);
  EXPECT_EQ(dispose(withMethod("MESSAGE"), caps), Disposition::kMethodNotAllowed);
  EXPECT_EQ(dispose(withMethod("INVITE"), caps), Disposition::kMethodNotAllowed);
  EXPECT_EQ(dispose(withMethod("PUBLISH"), caps), Disposition::kMethodNotAllowed);
  EXPECT_EQ(dispose(withMethod("ACK"), caps), Disposition::kAck);
  EXPECT_EQ(dispose(withMethod("FROBNICATE"), caps), Disposition::kNotImplemented);
}

TEST(Capabilities, TheGatewaySetMakesTheAdvertisedAllow) {
  Capabilities caps;
  caps.handled = kGatewayMethods;
  EXPECT_EQ(caps.allowHeader(), "INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, SUBSCRIBE, NOTIFY, INFO");
  EXPECT_EQ(dispose(withMethod("MESSAGE"), caps), Disposition::kHandler);
  EXPECT_EQ(dispose(withMethod("ACK"), caps), Disposition::kHandler);
  EXPECT_EQ(dispose(withMethod("OPTIONS"), caps), Disposition::kHandler) << "to a user: the gateway knows";
  EXPECT_EQ(dispose(withMethod("OPTIONS", {}, "sip:imp.test"), caps), Disposition::kOptions);
  EXPECT_EQ(dispose(withMethod("REFER"), caps), Disposition::kMethodNotAllowed);
}

TEST(Capabilities, InviteBringsAckAndCancel) {
  Capabilities caps;
  caps.handled = {"MESSAGE", "INVITE"};
  EXPECT_EQ(caps.allowHeader(), "INVITE, ACK, CANCEL, OPTIONS, MESSAGE");
}

TEST(Capabilities, RequireWeDoNotSupport) {
  Capabilities caps;
  caps.handled = kGatewayMethods;
  caps.supported = {"ms-text-format"};
  auto request = withMethod("MESSAGE", "Require: 100rel, MS-TEXT-format\r\nRequire: ms-dialog-route-set-update\r\n");
  EXPECT_EQ(dispose(request, caps), Disposition::kBadExtension);
  EXPECT_EQ(unsupportedRequirements(request, caps),
            (std::vector<std::string>{"100rel", "ms-dialog-route-set-update"}));
  EXPECT_EQ(dispose(withMethod("MESSAGE", "Proxy-Require: foo\r\n"), caps), Disposition::kHandler)
      << "Proxy-Require is for proxies";
  EXPECT_EQ(dispose(withMethod("FROBNICATE", "Require: foo\r\n"), caps), Disposition::kBadExtension)
      << "§8.2.2.3 comes before the method check";
}

TEST(Capabilities, OptionsAnswerCarriesAllowAcceptSupported) {
  Capabilities caps;
  caps.supported = {"timer"};
  Message ok = Message::response(200);
  describeCapabilities(ok, caps);
  EXPECT_EQ(ok.get("Allow"), "OPTIONS");
  EXPECT_EQ(ok.get("Accept"), "application/sdp, application/pidf+xml, text/plain");
  EXPECT_EQ(ok.get("Supported"), "timer");
  Message refusal = Message::response(405);
  describeCapabilities(refusal, caps);
  EXPECT_TRUE(refusal.has("Allow"));
  EXPECT_FALSE(refusal.has("Accept"));
}

TEST(Capabilities, KnownMethods) {
  EXPECT_TRUE(isKnownMethod("SUBSCRIBE"));
  EXPECT_TRUE(isKnownMethod("BENOTIFY"));
  EXPECT_FALSE(isKnownMethod("subscribe")) << "methods are case-sensitive (RFC 3261 §7.1)";
}

}  // namespace
}  // namespace impd::sip
