#include "s2s/wire.h"

#include <gtest/gtest.h>

#include "core/prepared_stanza.h"

namespace impd::s2s {
namespace {

TEST(WireTest, DialbackElementsUseTheDbPrefix) {
  EXPECT_EQ(dialbackResultRequest("a.test", "b.test", "k"), "<db:result from='a.test' to='b.test'>k</db:result>");
  EXPECT_EQ(dialbackVerifyAnswer("a.test", "b.test", "i'd", "valid"),
            "<db:verify from='a.test' to='b.test' id='i&apos;d' type='valid'/>");
  EXPECT_EQ(dialbackResultAnswer("a.test", "b.test", "error", "item-not-found"),
            "<db:result from='a.test' to='b.test' type='error'><error type='cancel'><item-not-found "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></db:result>");
}

TEST(WireTest, StreamHeaderDeclaresDialbackAndOmitsEmptyAttributes) {
  const std::string h = streamHeader("a.test", "", "X");
  EXPECT_NE(h.find("xmlns='jabber:server'"), std::string::npos);
  EXPECT_NE(h.find("xmlns:db='jabber:server:dialback'"), std::string::npos);
  EXPECT_EQ(h.find("to="), std::string::npos);
  const std::string old = streamHeader("a", "b", "c", false);
  EXPECT_EQ(old.substr(old.find("<stream:stream")).find("version"), std::string::npos);
}

TEST(WireTest, NamespaceSwitchLeavesExtensionsAlone) {
  xml::Element m("message", "jabber:server");
  m.addChild("body", "jabber:server");
  m.addChild("x", "urn:example");
  core::toClientNamespace(m);
  EXPECT_EQ(m.ns(), "jabber:client");
  EXPECT_EQ(m.child("body")->ns(), "jabber:client");
  EXPECT_EQ(m.child("x")->ns(), "urn:example");
  EXPECT_EQ(serializeForServer(m), "<message><body/><x xmlns=\"urn:example\"/></message>");
}

TEST(WireTest, DialbackErrorConditionIsFound) {
  xml::Element r("result", std::string(kDialbackNs));
  auto& e = r.addChild("error", std::string(kDialbackNs));
  e.addChild("remote-server-timeout", "urn:ietf:params:xml:ns:xmpp-stanzas");
  EXPECT_EQ(dialbackErrorCondition(r), "remote-server-timeout");
}

}  // namespace
}  // namespace impd::s2s
