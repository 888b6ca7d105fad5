// Fuzzes the XML stream parser and the writer together:
//  - the same input fed in different chunk sizes must produce the same events (a stanza held
//    back or lost at a chunk boundary shows up here);
//  - every stanza and stream header, once serialized, must parse back as a document and
//    serialize to the same bytes (the writer's output is always well-formed);
//    one of those runs compacts the parser before every feed, which must change nothing;
//  - a run that restarts the stream from inside onStanza, as c2s does, must stay memory-safe.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "xml/stream_parser.h"

namespace {

using impd::xml::Element;
using impd::xml::Limits;
using impd::xml::StreamParser;
using impd::xml::StreamViolation;

// Small, so that short inputs reach every limit, yet roomy enough for tags long enough to be
// held back from expat (see src/xml/reparse_guard.h), which is where chunking matters most.
Limits smallLimits() {
  Limits l;
  l.maxStanzaBytes = 2048;
  l.maxDepth = 6;
  l.maxAttributes = 6;
  l.maxNamespaceDecls = 4;
  l.maxAttributeBytes = 600;
  return l;
}

// Escaping can make the written form larger than the input (a CDATA section of '<'), and each
// element may declare prefixes for its attributes: re-parsing only checks well-formedness.
Limits roomyLimits() {
  Limits l;
  l.maxStanzaBytes = 1 << 20;
  l.maxAttributes = 1024;
  l.maxNamespaceDecls = 1024;
  return l;
}

std::string checkedSerialize(const Element& e) {
  std::string once = serialize(e);
  Element back;
  if (!parseDocument(once, back, roomyLimits())) std::abort();
  if (serialize(back) != once) std::abort();
  return once;
}

class Transcript : public impd::xml::StreamHandler {
 public:
  explicit Transcript(StreamParser* restartOn) : restartOn_(restartOn) {}

  void onStreamOpen(const Element& header, std::string_view defaultNs) override {
    events.push_back("open " + checkedSerialize(header) + " " + std::string(defaultNs));
  }
  void onStanza(Element&& stanza) override {
    events.push_back(checkedSerialize(stanza));
    if (restartOn_ && (stanza.name() == "proceed" || stanza.name() == "success")) {
      restartOn_->reset();
    }
  }
  void onStreamClose() override { events.emplace_back("close"); }

  std::vector<std::string> events;

 private:
  StreamParser* restartOn_;
};

struct Mode {
  std::size_t chunk;
  bool compact = false;
  bool restarts = false;
};

std::vector<std::string> run(std::string_view input, Mode mode) {
  StreamParser parser(smallLimits());
  Transcript transcript(mode.restarts ? &parser : nullptr);
  for (std::size_t i = 0; i < input.size(); i += mode.chunk) {
    if (mode.compact) parser.compact();
    if (parser.feed(input.substr(i, mode.chunk), transcript) != StreamViolation::kNone &&
        !mode.restarts) {
      break;
    }
  }
  return transcript.events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> whole = run(input, {size == 0 ? 1 : size});
  for (Mode mode : {Mode{1}, Mode{3, true}, Mode{61}}) {
    if (run(input, mode) != whole) std::abort();
  }
  run(input, {17, true, true});
  return 0;
}
