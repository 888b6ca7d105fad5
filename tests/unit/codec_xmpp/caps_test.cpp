// XEP-0115 verification strings, checked against the examples of XEP-0115 §5.2 and §5.3.
#include <gtest/gtest.h>

#include "codec/xmpp/caps.h"
#include "xml/stream_parser.h"

namespace impd::xmpp {
namespace {

xml::Element parse(std::string_view text) {
  xml::Element e;
  EXPECT_TRUE(xml::parseDocument(text, e)) << text;
  return e;
}

TEST(Caps, SimpleGenerationExample) {
  auto q = parse(
      "<query xmlns='http://jabber.org/protocol/disco#info'>"
      "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
      "<feature var='http://jabber.org/protocol/caps'/>"
      "<feature var='http://jabber.org/protocol/disco#info'/>"
      "<feature var='http://jabber.org/protocol/disco#items'/>"
      "<feature var='http://jabber.org/protocol/muc'/></query>");
  EXPECT_EQ(capsVerification(q), "QgayPKawpkPSDYmwT/WM94uAlu0=");
}

TEST(Caps, ComplexGenerationExample) {
  auto q = parse(
      "<query xmlns='http://jabber.org/protocol/disco#info'>"
      "<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
      "<identity xml:lang='el' category='client' name='&#936; 0.11' type='pc'/>"
      "<feature var='http://jabber.org/protocol/caps'/>"
      "<feature var='http://jabber.org/protocol/disco#info'/>"
      "<feature var='http://jabber.org/protocol/disco#items'/>"
      "<feature var='http://jabber.org/protocol/muc'/>"
      "<x xmlns='jabber:x:data' type='result'>"
      "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
      "<field var='ip_version'><value>ipv4</value><value>ipv6</value></field>"
      "<field var='os'><value>Mac</value></field>"
      "<field var='os_version'><value>10.5.1</value></field>"
      "<field var='software'><value>Psi</value></field>"
      "<field var='software_version'><value>0.11</value></field></x></query>");
  EXPECT_EQ(capsVerification(q), "q07IKJEyjvHSyhy//CH0CxmKi8w=");
}

TEST(Caps, DuplicatesAreRefused) {
  auto q = parse(
      "<query xmlns='http://jabber.org/protocol/disco#info'>"
      "<feature var='urn:a'/><feature var='urn:a'/></query>");
  EXPECT_FALSE(capsVerification(q));
}

}  // namespace
}  // namespace impd::xmpp
