#include "xml/stream_parser.h"

#include <cstdlib>

#include "xml/parser_core.h"
#include "xml/reparse_guard.h"

namespace impd::xml {
namespace {

// Input is handed to expat in slices of this size: expat copies what it is given into a
// buffer it never shrinks, so one large read would otherwise stay allocated for the life of
// the session.
constexpr std::size_t kSliceBytes = 2048;
// Incomplete tokens at least this long are not rescanned on every slice (see reparse_guard.h);
// below it a rescan costs less than the bookkeeping.
constexpr std::size_t kHoldBackFrom = 512;

}  // namespace

std::string_view violationCondition(StreamViolation v) {
  switch (v) {
    case StreamViolation::kNone:
      return "";
    case StreamViolation::kNotWellFormed:
      return "not-well-formed";
    case StreamViolation::kRestrictedXml:
      return "restricted-xml";
    case StreamViolation::kPolicyViolation:
      return "policy-violation";
    case StreamViolation::kInvalidNamespace:
      return "invalid-namespace";
    case StreamViolation::kBadFormat:
      return "bad-format";
  }
  return "undefined-condition";
}

struct StreamParser::Impl {
  // What feed() does after handing one batch to expat.
  enum class Next { kContinue, kStop, kGone };

  explicit Impl(const Limits& limits) : core(limits, detail::ParserCore::Mode::kStream) {}

  StreamViolation feed(std::string_view bytes, StreamHandler& handler);
  Next parseBatch(std::string_view batch, StreamHandler& handler);
  void reset();

  detail::ParserCore core;
  detail::TokenEndScanner scanner;
  std::string heldBack;  // bytes withheld from expat while a long token is incomplete
  std::size_t bytesSeen = 0;
  StreamViolation failed = StreamViolation::kNone;
  bool holding = false;         // heldBack is in use
  bool inParse = false;         // expat is running: callbacks may happen
  bool resetRequested = false;  // reset() was called from a callback
  bool orphaned = false;        // the StreamParser was destroyed from a callback
};

StreamViolation StreamParser::Impl::feed(std::string_view bytes, StreamHandler& handler) {
  // Feeding from inside a callback would re-enter expat; that is a bug in the caller.
  if (inParse) std::abort();
  bytesSeen += bytes.size();
  for (std::size_t offset = 0; failed == StreamViolation::kNone && offset < bytes.size();
       offset += kSliceBytes) {
    std::string_view slice = bytes.substr(offset, kSliceBytes);
    Next next;
    if (!holding) {
      next = parseBatch(slice, handler);
    } else {
      bool mayEnd = scanner.mayEnd(slice);
      heldBack.append(slice);
      if (!mayEnd) {
        if (core.overLimit(heldBack.size())) failed = StreamViolation::kPolicyViolation;
        continue;
      }
      std::string batch;
      batch.swap(heldBack);  // leaves heldBack without its allocation
      holding = false;
      next = parseBatch(batch, handler);
    }
    // After kGone this object no longer exists.
    if (next == Next::kGone) return StreamViolation::kNone;
    if (next == Next::kStop) break;
  }
  return failed;
}

StreamParser::Impl::Next StreamParser::Impl::parseBatch(std::string_view batch,
                                                        StreamHandler& handler) {
  inParse = true;
  StreamViolation v = core.parse(batch, false, handler);
  inParse = false;
  if (orphaned) {
    // The owner is gone, and expat has returned: nothing refers to this object any more.
    delete this;
    return Next::kGone;
  }
  if (resetRequested) {
    // The restart drops whatever followed its trigger in this feed.
    resetRequested = false;
    core.clear();
    return Next::kStop;
  }
  if (v != StreamViolation::kNone) {
    failed = v;
    return Next::kStop;
  }
  std::string_view pending = core.pendingToken();
  if (pending.size() >= kHoldBackFrom) holding = scanner.begin(pending);
  if (core.overLimit(0)) {
    failed = StreamViolation::kPolicyViolation;
    return Next::kStop;
  }
  return Next::kContinue;
}

void StreamParser::Impl::reset() {
  failed = StreamViolation::kNone;
  holding = false;
  heldBack = {};
  if (inParse) {
    // expat is on the stack: stop it now, free it once XML_Parse has returned.
    resetRequested = true;
    core.stop(StreamViolation::kNone);
    return;
  }
  core.clear();
}

StreamParser::StreamParser(Limits limits) : impl_(std::make_unique<Impl>(limits)) {}

StreamParser::~StreamParser() {
  if (impl_ && impl_->inParse) {
    // Destroyed from one of our own callbacks: expat and feed() are still running on impl_,
    // so it is released here and feed() frees it when expat returns.
    impl_->orphaned = true;
    impl_->core.stop(StreamViolation::kNone);
    impl_.release();
  }
}

StreamViolation StreamParser::feed(std::string_view bytes, StreamHandler& handler) {
  return impl_->feed(bytes, handler);
}

void StreamParser::reset() {
  impl_->reset();
}

std::size_t StreamParser::bytesSeen() const {
  return impl_->bytesSeen;
}

bool StreamParser::compact() {
  if (impl_->inParse || impl_->holding || impl_->failed != StreamViolation::kNone) return false;
  return impl_->core.hibernate();
}

}  // namespace impd::xml
