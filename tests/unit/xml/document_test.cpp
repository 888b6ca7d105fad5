#include <gtest/gtest.h>

#include "xml/namespaces.h"
#include "xml/stream_parser.h"

namespace impd::xml {
namespace {

TEST(XmlDocument, ParsesOneElement) {
  Element e;
  ASSERT_TRUE(
      parseDocument("<?xml version='1.0'?>\n<message xmlns='jabber:client' xml:lang='en'>"
                    "<body>hi</body></message>\n",
                    e));
  EXPECT_TRUE(e.is("message", "jabber:client"));
  EXPECT_EQ(e.attr(kXmlLang), "en");
  EXPECT_EQ(e.childText("body"), "hi");
}

TEST(XmlDocument, ElementWithoutNamespace) {
  Element e;
  ASSERT_TRUE(parseDocument("<item jid='a@b'/>", e));
  EXPECT_TRUE(e.is("item", ""));
}

TEST(XmlDocument, RefusesWhatTheStreamRefuses) {
  Element e("untouched", "");
  EXPECT_FALSE(parseDocument("", e));
  EXPECT_FALSE(parseDocument("<a/><b/>", e));
  EXPECT_FALSE(parseDocument("<a>", e));
  EXPECT_FALSE(parseDocument("<!DOCTYPE a><a/>", e));
  EXPECT_FALSE(parseDocument("<a><!-- c --></a>", e));
  EXPECT_FALSE(parseDocument("<?pi x?><a/>", e));
  EXPECT_FALSE(parseDocument("<a>&ent;</a>", e));
  EXPECT_FALSE(parseDocument("<a>\xFF</a>", e));
  EXPECT_FALSE(parseDocument("text", e));
  EXPECT_EQ(e.name(), "untouched");
}

TEST(XmlDocument, AppliesLimits) {
  Limits limits;
  limits.maxStanzaBytes = 10;
  Element e;
  EXPECT_TRUE(parseDocument("<a>12345</a>", e, limits) == false);
  EXPECT_TRUE(parseDocument("<a>1</a>", e, limits));
  limits = {};
  limits.maxDepth = 2;
  EXPECT_TRUE(parseDocument("<a><b/></a>", e, limits));
  EXPECT_FALSE(parseDocument("<a><b><c/></b></a>", e, limits));
  limits = {};
  limits.maxAttributes = 1;
  EXPECT_FALSE(parseDocument("<a x='1' y='2'/>", e, limits));
}

}  // namespace
}  // namespace impd::xml
