// Plain text of SIP IM bodies: text/plain, text/html, multipart/alternative.
#include "gateway/sip_body_text.h"

#include <gtest/gtest.h>

namespace impd::gateway {
namespace {

std::string text(std::string_view type, std::string_view body) {
  auto out = textOfSipBody(type, body);
  EXPECT_TRUE(out.ok()) << type << ": " << (out ? "" : out.error().message);
  return out ? *out : std::string();
}

std::string conditionOf(std::string_view type, std::string_view body) {
  auto out = textOfSipBody(type, body);
  return out ? std::string("ok") : out.error().condition;
}

TEST(SipBodyText, PlainTextAsIs) {
  EXPECT_EQ(text("text/plain;charset=UTF-8", "  a <b> & c\r\n"), "  a <b> & c\r\n");
  EXPECT_EQ(text("text/plain", "x"), "x");
  EXPECT_EQ(text("TEXT/PLAIN; charset=\"utf-8\"", "x"), "x");
  EXPECT_EQ(text("text/plain; charset=us-ascii", "x"), "x");
  EXPECT_EQ(text("", "no type"), "no type");
}

TEST(SipBodyText, HtmlToText) {
  EXPECT_EQ(htmlToText("<html><head><title>t</title><style>p{}</style></head>"
                       "<body><p>One</p><p>Two &lt;3&gt;</p><script>alert(1)</script>"
                       "<div>caf&#233; &#x2615; &quot;q&quot; &apos;a&apos;&nbsp;!</div></body></html>"),
            "One\nTwo <3>\ncaf\xC3\xA9 \xE2\x98\x95 \"q\" 'a' !");
  EXPECT_EQ(htmlToText("a<br/>b<BR>c"), "a\nb\nc");
  EXPECT_EQ(htmlToText("<!-- hidden -->shown"), "shown");
  // Tolerance: stray ampersands, unknown entities, an unclosed tag, forbidden code points.
  EXPECT_EQ(htmlToText("fish & chips &bogus; 1 < 2"), "fish & chips &bogus; 1 < 2");
  EXPECT_EQ(htmlToText("bad &#0; &#xD800; &#1114112;"), "bad &#0; &#xD800; &#1114112;");
}

TEST(SipBodyText, LyncHtmlMessage) {
  EXPECT_EQ(text("text/html;charset=UTF-8",
                 "<span style=\"font-family:Segoe UI;color:#000000;\">See you at 3</span>"),
            "See you at 3");
}

TEST(SipBodyText, MultipartAlternative) {
  const std::string body =
      "This is a preamble.\r\n"
      "--=_NextPart_001\r\n"
      "Content-Type: text/html; charset=UTF-8\r\n"
      "\r\n"
      "<b>bold</b>\r\n"
      "--=_NextPart_001\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "\r\n"
      "plain version\r\n"
      "--=_NextPart_001--\r\n"
      "epilogue";
  EXPECT_EQ(text("multipart/alternative; boundary=\"=_NextPart_001\"", body), "plain version");
}

TEST(SipBodyText, MultipartFallsBackToHtmlAndDecodesBase64) {
  const std::string body =
      "--xyz\r\n"
      "Content-Type: text/rtf\r\n\r\n"
      "{\\rtf1 hi}\r\n"
      "--xyz\r\n"
      "Content-Type: text/html\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n"
      "PGk+aGk8L2k+\r\n"  // "<i>hi</i>"
      "--xyz--\r\n";
  EXPECT_EQ(text("multipart/alternative;boundary=xyz", body), "hi");
}

TEST(SipBodyText, PartWithoutHeadersIsPlainText) {
  EXPECT_EQ(text("multipart/alternative;boundary=q", "--q\r\n\r\nbare\r\n--q--"), "bare");
}

TEST(SipBodyText, Refusals) {
  EXPECT_EQ(conditionOf("text/rtf", "{}"), "unsupported-media-type");
  EXPECT_EQ(conditionOf("image/gif", "GIF89a"), "unsupported-media-type");
  EXPECT_EQ(conditionOf("text/plain; charset=windows-1252", "x"), "unsupported-media-type");
  EXPECT_EQ(conditionOf("not a type", "x"), "unsupported-media-type");
  EXPECT_EQ(conditionOf("multipart/alternative", "--x\r\n\r\na\r\n--x--"), "bad-request");
  EXPECT_EQ(conditionOf("multipart/alternative;boundary=x",
                        "--x\r\nContent-Type: image/png\r\n\r\n....\r\n--x--"),
            "unsupported-media-type");
  EXPECT_EQ(conditionOf("multipart/alternative;boundary=x",
                        "--x\r\nContent-Type: text/plain\r\n"
                        "Content-Transfer-Encoding: quoted-printable\r\n\r\na=3Db\r\n--x--"),
            "unsupported-media-type");
}

}  // namespace
}  // namespace impd::gateway
