#pragma once
// Request literals for the SIP runtime tests.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "codec/sip/message.h"

namespace impd::sip::test {

inline Message parsed(std::string_view text) {
  auto m = parse(text);
  if (!m) {
    ADD_FAILURE() << "unparsable test message: " << m.error().message;
    return Message::request("OPTIONS", "sip:invalid");
  }
  return std::move(*m);
}

struct RequestSpec {
  std::string method = "MESSAGE";
  std::string uri = "sip:alice@imp.test";
  std::string from = "<sip:bob@lync.test>;tag=f1";
  std::string to = "<sip:alice@imp.test>";
  std::string via = "SIP/2.0/TLS 192.0.2.7:5061;branch=z9hG4bK-1";
  std::string extra;  // more header lines, each ending in CRLF
};

inline Message request(const RequestSpec& s) {
  std::string text = s.method + " " + s.uri + " SIP/2.0\r\n";
  text += "Via: " + s.via + "\r\n";
  text += "Max-Forwards: 70\r\n";
  text += "From: " + s.from + "\r\n";
  text += "To: " + s.to + "\r\n";
  text += "Call-ID: c1@lync.test\r\n";
  text += "CSeq: 1 " + s.method + "\r\n";
  text += s.extra;
  text += "Content-Length: 0\r\n\r\n";
  return parsed(text);
}

}  // namespace impd::sip::test
