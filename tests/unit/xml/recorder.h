#pragma once
// A StreamHandler that records every event as text, so tests compare whole transcripts.
#include <functional>
#include <string>
#include <vector>

#include "xml/element.h"
#include "xml/stream_parser.h"

namespace impd::xml::test {

class Recorder : public StreamHandler {
 public:
  void onStreamOpen(const Element& header, std::string_view defaultNs) override {
    headers.push_back(header);
    defaultNamespaces.emplace_back(defaultNs);
    events.push_back("open " + serialize(header) + " default=" + std::string(defaultNs));
  }
  void onStanza(Element&& stanza) override {
    events.push_back("stanza " + serialize(stanza));
    stanzas.push_back(std::move(stanza));
    if (afterStanza) afterStanza(stanzas.back());
  }
  void onStreamClose() override { events.push_back("close"); }

  std::vector<std::string> events;
  std::vector<Element> headers;
  std::vector<std::string> defaultNamespaces;
  std::vector<Element> stanzas;
  std::function<void(const Element&)> afterStanza;
};

inline constexpr std::string_view kClientHeader =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
    "xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0' "
    "xml:lang='en'>";

// Feeds everything at once; returns the violation.
inline StreamViolation feedAll(std::string_view bytes, Recorder& r, Limits limits = {}) {
  StreamParser parser(limits);
  return parser.feed(bytes, r);
}

// Feeds in chunks of the given size; stops at the first violation and returns it.
inline StreamViolation feedChunked(std::string_view bytes, std::size_t chunk, Recorder& r,
                                   Limits limits = {}) {
  StreamParser parser(limits);
  for (std::size_t i = 0; i < bytes.size(); i += chunk) {
    StreamViolation v = parser.feed(bytes.substr(i, chunk), r);
    if (v != StreamViolation::kNone) return v;
  }
  return StreamViolation::kNone;
}

}  // namespace impd::xml::test
