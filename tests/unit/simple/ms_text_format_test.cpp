// Lync's ms-text-format header.
#include "codec/simple/ms_text_format.h"

#include <gtest/gtest.h>

namespace impd::simple {
namespace {

TEST(MsTextFormat, LyncHeader) {
  // msgr is base64 of UTF-16LE "X-MMS-IM-Format: ..."; ms-body is base64 of "Hello, Bob!".
  auto format = parseMsTextFormat(
      "text/plain; charset=UTF-8;msgr=WAAtAE0ATQBTAC0ASQBNAC0ARgBvAHIAbQBhAHQAOgAgAEYATgA9AA"
      ";ms-body=SGVsbG8sIEJvYiE=");
  ASSERT_TRUE(format.ok()) << format.error().message;
  EXPECT_EQ(format->contentType, "text/plain");
  EXPECT_EQ(format->charset, "UTF-8");
  EXPECT_EQ(format->msgr, "WAAtAE0ATQBTAC0ASQBNAC0ARgBvAHIAbQBhAHQAOgAgAEYATgA9AA");
  EXPECT_EQ(format->body, "Hello, Bob!");
}

TEST(MsTextFormat, WithoutBody) {
  auto format = parseMsTextFormat("Text/HTML;CHARSET=\"utf-8\"");
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(format->contentType, "text/html");
  EXPECT_EQ(format->charset, "utf-8");
  EXPECT_FALSE(format->body.has_value());
}

TEST(MsTextFormat, TolerantBase64) {
  auto unpadded = parseMsTextFormat("text/plain;ms-body=SGk");  // "Hi" without "="
  ASSERT_TRUE(unpadded.ok());
  EXPECT_EQ(unpadded->body, "Hi");
  auto folded = parseMsTextFormat("text/plain; ms-body=SGVs bG8=");  // a space from folding
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(folded->body, "Hello");
  auto empty = parseMsTextFormat("text/plain;ms-body=");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->body, "");
}

TEST(MsTextFormat, UnknownParametersAndStraySemicolonsAreIgnored) {
  auto format = parseMsTextFormat("text/plain;; x-foo=bar ;ms-body=SGk=;");
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(format->body, "Hi");
}

TEST(MsTextFormat, MalformedValuesAreErrors) {
  const std::string_view inputs[] = {
      "",
      "   ",
      "textplain; charset=UTF-8",
      "/plain",
      "text/",
      "text/plain/extra",
      "text/plain; charset",
      "text/plain; ms-body=!!!!",
      "text/plain; ms-body=A",
      "text/plain; ms-body=AB=C",
  };
  for (std::string_view input : inputs) {
    auto format = parseMsTextFormat(input);
    ASSERT_FALSE(format.ok()) << input;
    EXPECT_EQ(format.error().condition, "bad-request");
  }
  EXPECT_FALSE(parseMsTextFormat("text/plain;x=" + std::string(kMaxMsTextFormatBytes, 'a')).ok());
}

TEST(MsTextFormat, FormatRoundTrips) {
  const std::string body = "Grüße <b>&</b>; done";
  const std::string value = formatMsTextFormat("text/plain", body);
  EXPECT_EQ(value.rfind("text/plain; charset=UTF-8;ms-body=", 0), 0u);
  auto back = parseMsTextFormat(value);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->body, body);
  EXPECT_EQ(back->charset, "UTF-8");
}

}  // namespace
}  // namespace impd::simple
