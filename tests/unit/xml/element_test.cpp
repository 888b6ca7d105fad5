#include "xml/element.h"

#include <gtest/gtest.h>

#include "xml/namespaces.h"

namespace impd::xml {
namespace {

TEST(XmlElement, DeepCopyIsIndependent) {
  Element original("message", "jabber:client");
  original.setAttr("to", "juliet@example.com");
  original.addChild("body", "jabber:client").addText("hi");
  Element copy(original);
  copy.child("body")->addText(" there");
  copy.setAttr("to", "romeo@example.net");
  EXPECT_EQ(original.childText("body"), "hi");
  EXPECT_EQ(original.attr("to"), "juliet@example.com");
  EXPECT_EQ(copy.childText("body"), "hi there");

  Element assigned;
  assigned = original;
  EXPECT_EQ(serialize(assigned), serialize(original));
  Element& alias = assigned;
  assigned = alias;  // self-assignment keeps the content
  EXPECT_EQ(serialize(assigned), serialize(original));
}

TEST(XmlElement, Attributes) {
  Element e("presence", "jabber:client");
  EXPECT_FALSE(e.hasAttr("type"));
  EXPECT_EQ(e.attr("type"), "");
  e.setAttr("type", "unavailable").setAttr("id", "1");
  e.setAttr("type", "probe");
  EXPECT_EQ(e.attributes().size(), 2u);
  EXPECT_EQ(e.attr("type"), "probe");
  e.removeAttr("type");
  EXPECT_FALSE(e.hasAttr("type"));
  e.setAttr(kXmlLang, "de");
  EXPECT_EQ(e.attr("http://www.w3.org/XML/1998/namespace|lang"), "de");
}

TEST(XmlElement, TextMergesAdjacentRuns) {
  Element e("body", "jabber:client");
  e.addText("a").addText("").addText("b");
  EXPECT_EQ(e.nodes().size(), 1u);
  e.addChild("x", "urn:x");
  e.addText("c");
  EXPECT_EQ(e.nodes().size(), 3u);
  EXPECT_EQ(e.text(), "abc");
}

TEST(XmlElement, ChildLookupByNameAndNamespace) {
  Element iq("iq", "jabber:client");
  iq.addChild("query", "jabber:iq:roster")
      .addChild("item", "jabber:iq:roster")
      .setAttr("jid", "a@b");
  iq.addChild("query", "jabber:iq:version");
  iq.addChild("error", "jabber:client")
      .addChild("text", "urn:ietf:params:xml:ns:xmpp-stanzas")
      .addText("why");

  ASSERT_NE(iq.child("query"), nullptr);
  EXPECT_EQ(iq.child("query")->ns(), "jabber:iq:roster");
  EXPECT_EQ(iq.child("query", "jabber:iq:version")->ns(), "jabber:iq:version");
  EXPECT_EQ(iq.child("query", "urn:none"), nullptr);
  EXPECT_EQ(iq.children("query").size(), 2u);
  EXPECT_EQ(iq.children().size(), 3u);
  EXPECT_EQ(iq.children({}, "jabber:client").size(), 1u);
  EXPECT_EQ(iq.childElements().size(), 3u);
  EXPECT_EQ(iq.child("error")->childText("text"), "why");
  EXPECT_EQ(iq.childText("missing"), "");

  EXPECT_EQ(iq.removeChildren("query", "jabber:iq:version"), 1u);
  EXPECT_EQ(iq.removeChildren("query"), 1u);
  EXPECT_EQ(iq.children().size(), 1u);
  iq.clearChildren();
  EXPECT_TRUE(iq.nodes().empty());
}

TEST(XmlElement, AddChildReturnsStoredChild) {
  Element e("a", "urn:a");
  Element& b = e.addChild("b", "urn:a");
  b.addChild("c", "urn:a").addText("deep");
  EXPECT_EQ(e.child("b")->child("c")->text(), "deep");
  EXPECT_TRUE(e.child("b")->is("b", "urn:a"));
}

}  // namespace
}  // namespace impd::xml
