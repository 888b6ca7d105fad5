#pragma once
// Literal builders shared by the gateway tests: SIP messages written with "\n" line ends (the
// helper turns them into CRLF), XMPP stanzas as XML text, JIDs as strings.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "codec/sip/message.h"
#include "codec/xmpp/jid.h"
#include "xml/element.h"
#include "xml/stream_parser.h"

namespace impd::gateway::test {

inline sip::Message sipLiteral(std::string_view text) {
  std::string wire;
  for (char c : text) {
    if (c == '\n') wire.push_back('\r');
    wire.push_back(c);
  }
  auto message = sip::parse(wire);
  if (!message) {
    ADD_FAILURE() << "unparsable SIP literal: " << message.error().message;
    return sip::Message::request("OPTIONS", "sip:invalid.test");
  }
  return std::move(*message);
}

// A message as another stack would receive it: serialized and parsed again.
inline sip::Message reparsed(const sip::Message& message) {
  sip::Message withVia = message;
  if (!withVia.has("Via") && withVia.isRequest()) {
    withVia.prepend("Via", "SIP/2.0/TLS gw.imp.test:5061;branch=z9hG4bKtest");
  }
  auto parsed = sip::parse(sip::serialize(withVia));
  if (!parsed) {
    ADD_FAILURE() << "built message does not parse: " << parsed.error().message << "\n"
                  << sip::serialize(withVia);
    return message;
  }
  return std::move(*parsed);
}

inline xml::Element xmlLiteral(std::string_view text) {
  xml::Element element;
  if (!xml::parseDocument(text, element)) ADD_FAILURE() << "unparsable XML literal: " << text;
  return element;
}

inline xmpp::Jid jid(std::string_view text) {
  auto parsed = xmpp::Jid::parse(text);
  if (!parsed) {
    ADD_FAILURE() << "bad JID literal: " << text;
    return {};
  }
  return std::move(*parsed);
}

inline std::string xmlOf(const xml::Element& element) {
  return xml::serialize(element);
}

}  // namespace impd::gateway::test
