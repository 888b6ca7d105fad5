// serialize() (message.h): the wire form of a message.
#include "codec/sip/grammar.h"
#include "codec/sip/message.h"

namespace impd::sip {

namespace {

// A CR or LF inside a value would end the line and let text from elsewhere (a display name
// relayed from another network, say) inject headers; they become spaces.
void appendLine(std::string& out, std::string_view text) {
  for (char c : text) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  out += "\r\n";
}

}  // namespace

std::string serialize(const Message& message) {
  std::string out;
  std::size_t estimate = 64 + message.body().size();
  for (const Header& h : message.headers()) estimate += h.name.size() + h.value.size() + 4;
  out.reserve(estimate);

  std::string start;
  if (message.isRequest()) {
    start = message.method() + " " + message.requestUri() + " SIP/2.0";
  } else {
    start = "SIP/2.0 " + std::to_string(message.status()) + " " + message.reason();
  }
  appendLine(out, start);
  for (const Header& h : message.headers()) {
    if (grammar::iequals(h.name, "Content-Length")) continue;  // written from the body below
    std::string line = h.name;
    line += ": ";
    line += h.value;
    appendLine(out, line);
  }
  out += "Content-Length: " + std::to_string(message.body().size()) + "\r\n\r\n";
  out += message.body();
  return out;
}

}  // namespace impd::sip
