#include <gtest/gtest.h>

#include "xml/element.h"
#include "xml/escape.h"
#include "xml/namespaces.h"
#include "xml/stream_parser.h"

namespace impd::xml {
namespace {

TEST(XmlWriter, DeclaresNamespaceOnlyWhereItChanges) {
  Element iq("iq", "jabber:client");
  iq.setAttr("type", "get");
  iq.addChild("query", "jabber:iq:roster").addChild("item", "jabber:iq:roster");
  EXPECT_EQ(serialize(iq, "jabber:client"),
            "<iq type=\"get\"><query xmlns=\"jabber:iq:roster\"><item/></query></iq>");
  EXPECT_EQ(serialize(iq),
            "<iq xmlns=\"jabber:client\" type=\"get\"><query xmlns=\"jabber:iq:roster\"><item/>"
            "</query></iq>");
}

TEST(XmlWriter, ChildWithoutNamespaceUndeclaresDefault) {
  Element e("a", "urn:a");
  e.addChild("b", "");
  EXPECT_EQ(serialize(e, "urn:a"), "<a><b xmlns=\"\"/></a>");
}

TEST(XmlWriter, XmlLangAndOtherNamespacedAttributes) {
  Element m("message", "jabber:client");
  m.setAttr(kXmlLang, "en");
  m.setAttr("urn:x|a", "1");
  m.setAttr("urn:y|b", "2");
  m.setAttr("urn:x|c", "3");
  EXPECT_EQ(serialize(m, "jabber:client"),
            "<message xml:lang=\"en\" xmlns:ns1=\"urn:x\" ns1:a=\"1\" xmlns:ns2=\"urn:y\" "
            "ns2:b=\"2\" ns1:c=\"3\"/>");
}

TEST(XmlWriter, DropsAttributesThatWouldBreakNamespaces) {
  Element e("a", "urn:a");
  e.setAttr("xmlns", "urn:other");
  e.setAttr("xmlns:p", "urn:p");
  e.setAttr("p:x", "1");
  e.setAttr("ok", "2");
  EXPECT_EQ(serialize(e), "<a xmlns=\"urn:a\" ok=\"2\"/>");
}

TEST(XmlWriter, ElementInXmlNamespaceUsesPrefix) {
  Element e("a", "urn:a");
  e.addChild("space", std::string(kXmlNs)).addChild("b", "urn:a");
  EXPECT_EQ(serialize(e, "urn:a"), "<a><xml:space><b/></xml:space></a>");
}

TEST(XmlWriter, EscapesMarkupCharacters) {
  Element e("body", "jabber:client");
  e.setAttr("q", "a&b<c>d\"e'f");
  e.addText("1 < 2 && 3 > 2 \"quoted\" 'single' ]]>");
  EXPECT_EQ(serialize(e, "jabber:client"),
            "<body q=\"a&amp;b&lt;c&gt;d&quot;e&apos;f\">1 &lt; 2 &amp;&amp; 3 &gt; 2 "
            "\"quoted\" 'single' ]]&gt;</body>");
}

TEST(XmlWriter, EscapesWhitespaceThatReadersWouldNormalise) {
  EXPECT_EQ(escapeAttr("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
  EXPECT_EQ(escapeText("a\tb\nc\rd"), "a\tb\nc&#13;d");
}

TEST(XmlWriter, ReplacesWhatXmlCannotCarry) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(escapeText(std::string("a\x01"
                                   "b\x00"
                                   "c",
                                   5)),
            "a" + fffd + "b" + fffd + "c");
  EXPECT_EQ(escapeText("\xC0\x80"), fffd + fffd);                        // overlong NUL
  EXPECT_EQ(escapeText("\xED\xA0\x80"), fffd + fffd + fffd);             // surrogate
  EXPECT_EQ(escapeText("\xEF\xBF\xBE"), fffd + fffd + fffd);             // U+FFFE
  EXPECT_EQ(escapeText("x\xE2\x82"), "x" + fffd + fffd);                 // truncated
  EXPECT_EQ(escapeText("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // > U+10FFFF
  EXPECT_EQ(escapeText("\xFF"), fffd);
  // Valid multi-byte characters pass untouched.
  EXPECT_EQ(escapeText("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\x7F"),
            "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\x7F");
}

TEST(XmlWriter, AppendsWithoutReplacingBuffer) {
  std::string out = "<x>";
  appendEscapedText(out, "a<b");
  EXPECT_EQ(out, "<x>a&lt;b");
  Element e("y", "urn:y");
  serializeTo(out, e, "urn:y");
  EXPECT_EQ(out, "<x>a&lt;b<y/>");
}

TEST(XmlWriter, OutputOfHostileContentParsesBackUnchanged) {
  Element e("message", "jabber:client");
  e.setAttr("id", "\t\n\r <&>\"'\x02\xFF");
  e.setAttr(kXmlLang, "en");
  e.setAttr("urn:a|c", "namespaced");
  e.addChild("body", "jabber:client").addText("line1\r\nline2\x1b ]]> \xC3");
  e.addChild("x", "").addChild("y", "urn:y");
  std::string written = serialize(e);
  Element back;
  ASSERT_TRUE(parseDocument(written, back)) << written;
  EXPECT_EQ(serialize(back), written);
  EXPECT_EQ(back.attr("urn:a|c"), "namespaced");
  EXPECT_EQ(back.child("body")->text(), "line1\r\nline2\xEF\xBF\xBD ]]> \xEF\xBF\xBD");
}

TEST(XmlWriter, RoundTripOfParsedStanza) {
  const std::string text =
      "<message xmlns='jabber:client' xmlns:e='urn:e' to='a@b' xml:lang='fr' e:flag='1'>"
      "<body>caf\xC3\xA9 &amp; cr\xC3\xA8me<![CDATA[<raw>]]></body>"
      "<e:extra><e:deep xmlns=''>&#x41;&#66;<none/></e:deep></e:extra></message>";
  Element parsed;
  ASSERT_TRUE(parseDocument(text, parsed));
  std::string once = serialize(parsed);
  EXPECT_EQ(once,
            "<message xmlns=\"jabber:client\" to=\"a@b\" xml:lang=\"fr\" xmlns:ns1=\"urn:e\" "
            "ns1:flag=\"1\"><body>caf\xC3\xA9 &amp; cr\xC3\xA8me&lt;raw&gt;</body><extra "
            "xmlns=\"urn:e\"><deep>AB<none xmlns=\"\"/></deep></extra></message>");
  Element again;
  ASSERT_TRUE(parseDocument(once, again));
  EXPECT_EQ(serialize(again), once);
}

}  // namespace
}  // namespace impd::xml
