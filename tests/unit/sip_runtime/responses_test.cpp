// Locally built responses, and the 400 for messages that did not parse.
#include "sip/responses.h"

#include <gtest/gtest.h>

#include "codec/sip/headers.h"
#include "test_messages.h"

namespace impd::sip {
namespace {

TEST(Responses, CopiesWhatRfc3261SaysAndTagsTheTo) {
  test::RequestSpec spec;
  spec.extra = "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-2\r\nTimestamp: 54\r\n";
  auto request = test::request(spec);
  auto response = makeResponse(request, 403, "t1");
  EXPECT_EQ(response.status(), 403);
  EXPECT_EQ(response.reason(), "Forbidden");
  EXPECT_EQ(response.getAll("Via").size(), 2u);
  EXPECT_EQ(response.get("From"), request.get("From"));
  EXPECT_EQ(NameAddr::parse(*response.get("To"))->tag(), "t1");
  EXPECT_EQ(response.get("Call-ID"), "c1@lync.test");
  EXPECT_EQ(response.get("CSeq"), "1 MESSAGE");
  EXPECT_EQ(response.get("Timestamp"), "54");
  EXPECT_EQ(NameAddr::parse(*makeResponse(request, 100, "t1").get("To"))->tag(), "") << "no tag on 100";
  spec.to = "<sip:alice@imp.test>;tag=mine";
  EXPECT_EQ(NameAddr::parse(*makeResponse(test::request(spec), 200, "t1").get("To"))->tag(), "mine");
}

TEST(Responses, WarningIsQuotedSafely) {
  Message response = Message::response(403);
  addWarning(response, "imp.test", "evil.test is \"not\" federated");
  EXPECT_EQ(response.get("Warning"), "399 imp.test \"evil.test is not federated\"");
}

const std::string kHead =
    "MESSAGE sip:alice@imp.test SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 127.0.0.9:5070;branch=z9hG4bK-9\r\n"
    "From: <sip:bob@lab.test>;tag=1\r\n"
    "To: <sip:alice@imp.test>\r\n"
    "Call-ID: bad1\r\n";

TEST(BadRequest, AnsweredWhenViaCSeqAndCallIdRead) {
  // The CSeq method does not match: the strict parse refuses it, a lenient one still reads it.
  const std::string raw = kHead + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
  ASSERT_FALSE(parse(raw).ok());
  auto answer = badRequestFor(raw, "CSeq method does not match", "t");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status(), 400);
  EXPECT_EQ(answer->get("Call-ID"), "bad1");
  EXPECT_EQ(answer->get("Via"), "SIP/2.0/TCP 127.0.0.9:5070;branch=z9hG4bK-9");
  EXPECT_TRUE(answer->has("Warning"));
}

TEST(BadRequest, AnsweredWhenOnlyTheBodyIsBroken) {
  const std::string raw = kHead + "CSeq: 1 MESSAGE\r\nContent-Length: 900\r\n\r\nshort";
  auto answer = badRequestFor(raw, "body shorter than Content-Length", "t", 513);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status(), 513);
}

TEST(BadRequest, SilentWhenItCannotBeAddressed) {
  EXPECT_FALSE(badRequestFor(kHead + "Content-Length: 0\r\n\r\n", "no CSeq", "t")) << "no CSeq";
  EXPECT_FALSE(badRequestFor("MESSAGE sip:a@imp.test SIP/2.0\r\nCSeq: 1 MESSAGE\r\nCall-ID: x\r\n\r\n", "", "t"))
      << "no Via";
  EXPECT_FALSE(badRequestFor("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK-1\r\nCSeq: 1 MESSAGE\r\n"
                             "Call-ID: x\r\n\r\n",
                             "", "t"))
      << "responses are never answered";
  EXPECT_FALSE(badRequestFor("\x01\x02 garbage", "", "t"));
}

}  // namespace
}  // namespace impd::sip
