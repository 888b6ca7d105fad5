#include "xml/stream_parser.h"

#include <gtest/gtest.h>

#include "recorder.h"
#include "xml/namespaces.h"

namespace impd::xml {
namespace {

using test::kClientHeader;
using test::Recorder;

// A client's first flight after the header, as real clients send it (whitespace included).
const std::string kSession =
    std::string(kClientHeader) +
    "\n<iq type='set' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
    "<resource>balcony</resource></bind></iq> \n\t"
    "<presence><show>away</show><status xml:lang='de'>Schlaf \xC3\xA4 &lt;3</status>"
    "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v='/></presence>"
    "<message to='juliet@example.com' type='chat' xml:lang='en'>"
    "<body>Wherefore art thou? &#x1F600;</body>"
    "<x:data xmlns:x='jabber:x:data' type='form'><x:field var='a'/></x:data></message>"
    "</stream:stream>";

TEST(XmlStreamParser, StreamOpenReportsHeaderAndDefaultNamespace) {
  Recorder r;
  StreamParser parser;
  EXPECT_EQ(parser.feed(kClientHeader, r), StreamViolation::kNone);
  ASSERT_EQ(r.headers.size(), 1u);
  const Element& h = r.headers[0];
  EXPECT_TRUE(h.is("stream", kStreamNs));
  EXPECT_EQ(h.attr("to"), "example.com");
  EXPECT_EQ(h.attr("version"), "1.0");
  EXPECT_EQ(h.attr(kXmlLang), "en");
  EXPECT_EQ(h.attributes().size(), 3u);  // namespace declarations are not attributes
  EXPECT_EQ(r.defaultNamespaces[0], "jabber:client");
  EXPECT_EQ(parser.bytesSeen(), kClientHeader.size());
}

TEST(XmlStreamParser, StreamWithoutDefaultNamespaceReportsEmpty) {
  Recorder r;
  EXPECT_EQ(test::feedAll("<s:stream xmlns:s='http://etherx.jabber.org/streams'>", r),
            StreamViolation::kNone);
  ASSERT_EQ(r.defaultNamespaces.size(), 1u);
  EXPECT_EQ(r.defaultNamespaces[0], "");
}

TEST(XmlStreamParser, StanzasCarryResolvedNamespaces) {
  Recorder r;
  ASSERT_EQ(test::feedAll(kSession, r), StreamViolation::kNone);
  ASSERT_EQ(r.stanzas.size(), 3u);
  const Element& iq = r.stanzas[0];
  EXPECT_TRUE(iq.is("iq", "jabber:client"));
  EXPECT_EQ(iq.child("bind", "urn:ietf:params:xml:ns:xmpp-bind")->childText("resource"), "balcony");
  EXPECT_EQ(iq.child("bind")->child("resource")->ns(), "urn:ietf:params:xml:ns:xmpp-bind");

  const Element& presence = r.stanzas[1];
  EXPECT_EQ(presence.childText("status"), "Schlaf \xC3\xA4 <3");
  EXPECT_EQ(presence.child("status")->attr(kXmlLang), "de");
  EXPECT_EQ(presence.child("c", "http://jabber.org/protocol/caps")->attr("ver"), "v=");

  const Element& message = r.stanzas[2];
  EXPECT_EQ(message.attr(kXmlLang), "en");
  EXPECT_EQ(message.childText("body"), "Wherefore art thou? \xF0\x9F\x98\x80");
  const Element* form = message.child("data", "jabber:x:data");
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->attr("type"), "form");
  EXPECT_TRUE(form->child("field")->is("field", "jabber:x:data"));
  EXPECT_EQ(r.events.back(), "close");
}

TEST(XmlStreamParser, StanzaSerializesWithoutStreamNamespace) {
  Recorder r;
  ASSERT_EQ(test::feedAll(std::string(kClientHeader) + "<presence/>", r), StreamViolation::kNone);
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(serialize(r.stanzas[0], r.defaultNamespaces[0]), "<presence/>");
}

TEST(XmlStreamParser, SplitFeedsGiveTheSameEvents) {
  Recorder whole;
  ASSERT_EQ(test::feedAll(kSession, whole), StreamViolation::kNone);
  ASSERT_EQ(whole.events.size(), 5u);
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 64u, 1000u}) {
    Recorder split;
    EXPECT_EQ(test::feedChunked(kSession, chunk, split), StreamViolation::kNone) << chunk;
    EXPECT_EQ(split.events, whole.events) << "chunk " << chunk;
  }
}

TEST(XmlStreamParser, WhitespaceKeepAlivesAreIgnored) {
  // Hours of keep-alives add up to far more than a stanza; they must not count as one.
  std::string header(kClientHeader);
  Limits small;
  small.maxStanzaBytes = header.size();
  Recorder r;
  StreamParser parser(small);
  ASSERT_EQ(parser.feed(header, r), StreamViolation::kNone);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(parser.feed(" \n", r), StreamViolation::kNone);
  EXPECT_EQ(parser.feed("<presence/>", r), StreamViolation::kNone);
  EXPECT_EQ(r.stanzas.size(), 1u);
}

TEST(XmlStreamParser, SplitMultiByteCharacters) {
  std::string text =
      std::string(kClientHeader) + "<message><body>\xE2\x82\xAC\xF0\x9F\x98\x80</body></message>";
  Recorder r;
  ASSERT_EQ(test::feedChunked(text, 1, r), StreamViolation::kNone);
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(r.stanzas[0].childText("body"), "\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(XmlStreamParser, PredefinedEntitiesAndCharacterReferences) {
  Recorder r;
  ASSERT_EQ(
      test::feedAll(std::string(kClientHeader) +
                        "<message a='&quot;&apos;'><body>&amp;&lt;&gt;&#65;&#x42;</body></message>",
                    r),
      StreamViolation::kNone);
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(r.stanzas[0].attr("a"), "\"'");
  EXPECT_EQ(r.stanzas[0].childText("body"), "&<>AB");
}

TEST(XmlStreamParser, LargeReadStillDeliversEveryStanza) {
  std::string text(kClientHeader);
  for (int i = 0; i < 500; ++i)
    text += "<message id='" + std::to_string(i) + "'><body>x</body></message>";
  Recorder r;
  ASSERT_EQ(test::feedAll(text, r), StreamViolation::kNone);
  ASSERT_EQ(r.stanzas.size(), 500u);
  EXPECT_EQ(r.stanzas[499].attr("id"), "499");
}

TEST(XmlStreamParser, ViolationConditions) {
  EXPECT_EQ(violationCondition(StreamViolation::kNone), "");
  EXPECT_EQ(violationCondition(StreamViolation::kNotWellFormed), "not-well-formed");
  EXPECT_EQ(violationCondition(StreamViolation::kRestrictedXml), "restricted-xml");
  EXPECT_EQ(violationCondition(StreamViolation::kPolicyViolation), "policy-violation");
  EXPECT_EQ(violationCondition(StreamViolation::kInvalidNamespace), "invalid-namespace");
  EXPECT_EQ(violationCondition(StreamViolation::kBadFormat), "bad-format");
}

}  // namespace
}  // namespace impd::xml
