// ParserCore's idle mode: an open stream between stanzas needs nothing from expat but its
// namespace context, which the stream header's start tag recreates.
#include <expat.h>

#include "xml/parser_core.h"

namespace impd::xml::detail {

bool ParserCore::hibernate() {
  if (hibernating_) return true;
  if (!parser_ || stopped_ || depth_ != 1 || rawHeader_.empty() || !pendingToken().empty()) {
    return false;
  }
  XML_ParserFree(parser_);
  parser_ = nullptr;
  open_ = {};
  hibernating_ = true;
  return true;
}

// The root's start tag restores exactly the namespace bindings stanzas may rely on, and the
// qualified name the closing </stream:stream> must match.
bool ParserCore::wake(StreamHandler& handler) {
  hibernating_ = false;
  fed_ = 0;
  unitStart_ = 0;
  depth_ = 0;
  replaying_ = true;
  StreamViolation v = parse(rawHeader_, false, handler);
  replaying_ = false;
  return v == StreamViolation::kNone && depth_ == 1;
}

}  // namespace impd::xml::detail
