// A stanza prepared once for many recipients must put on the wire exactly what the element
// path (copy, address, bring into jabber:client, serialize) puts there.
#include "core/prepared_stanza.h"

#include <gtest/gtest.h>

#include <string>

#include "xml/stream_parser.h"

namespace impd::core {
namespace {

xml::Element parsed(const std::string& text) {
  xml::Element e{"", ""};
  EXPECT_TRUE(xml::parseDocument(text, e)) << text;
  return e;
}

// What C2sConnection::sendStanza writes for `stanza` addressed to `to`.
std::string elementPath(xml::Element stanza, const std::string& to) {
  stanza.setAttr("to", to);
  toClientNamespace(stanza);
  return xml::serialize(stanza, "jabber:client");
}

TEST(PreparedStanza, WritesWhatTheElementPathWrites) {
  const std::string samples[] = {
      "<presence xmlns='jabber:client' from='a@imp.test/r'><show>away</show>"
      "<status>out &amp; about 'now'</status></presence>",
      "<presence xmlns='jabber:server' from='a@imp.test/r' to='old@x' type='unavailable'/>",
      "<presence xmlns='jabber:client' from='a@imp.test/r'><c "
      "xmlns='http://jabber.org/protocol/caps' "
      "hash='sha-1' node='n' ver='v=='/><x xmlns='urn:example' to=''/></presence>",
      "<message xmlns='jabber:server' from='b@x' type='chat'><body>to=\"\"</body></message>",
  };
  for (const std::string& text : samples) {
    const PreparedStanza prepared(parsed(text));
    for (const std::string to : {"bob@imp.test", "o'brien&co@imp.test/desk", ""}) {
      EXPECT_EQ(prepared.bytesTo(to), elementPath(parsed(text), to)) << text << " to " << to;
      EXPECT_EQ(xml::serialize(prepared.addressedTo(to), "jabber:client"),
                elementPath(parsed(text), to));
    }
  }
}

TEST(PreparedStanza, AddressedToGivesAnElementInTheClientNamespace) {
  const PreparedStanza prepared(
      parsed("<presence xmlns='jabber:server' from='a@x'><show>dnd</show></presence>"));
  const xml::Element e = prepared.addressedTo("c@imp.test");
  EXPECT_EQ(e.ns(), "jabber:client");
  EXPECT_EQ(e.attr("to"), "c@imp.test");
  EXPECT_EQ(e.attr("from"), "a@x");
  EXPECT_EQ(e.childText("show", "jabber:client"), "dnd");
}

}  // namespace
}  // namespace impd::core
