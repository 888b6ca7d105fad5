#include "xml/parser_core.h"
#include "xml/stream_parser.h"

namespace impd::xml {
namespace {

class DocumentCollector : public StreamHandler {
 public:
  explicit DocumentCollector(Element& out) : out_(out) {}
  void onStreamOpen(const Element&, std::string_view) override {}
  void onStanza(Element&& stanza) override {
    out_ = std::move(stanza);
    found_ = true;
  }
  void onStreamClose() override {}
  bool found() const { return found_; }

 private:
  Element& out_;
  bool found_ = false;
};

}  // namespace

bool parseDocument(std::string_view text, Element& out, Limits limits) {
  if (text.size() > limits.maxStanzaBytes) return false;
  detail::ParserCore core(limits, detail::ParserCore::Mode::kDocument);
  Element parsed;
  DocumentCollector collector(parsed);
  if (core.parse(text, true, collector) != StreamViolation::kNone || !collector.found()) {
    return false;
  }
  out = std::move(parsed);
  return true;
}

}  // namespace impd::xml
