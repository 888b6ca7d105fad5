#include "xml/parser_core.h"

#include <climits>

#ifdef IMPD_EXPAT_HAS_AMPLIFICATION_LIMIT
// The library is built with DTD support; this only makes expat.h declare that API.
#define XML_DTD 1
#endif
#include <expat.h>

#include "xml/namespaces.h"

namespace impd::xml::detail {
namespace {

constexpr char kSeparator = '|';
constexpr std::string_view kStreamRoot = "http://etherx.jabber.org/streams|stream";
// Headers longer than this are not kept for hibernate(): real ones are a few hundred bytes.
constexpr std::size_t kMaxSavedHeader = 1024;

StreamViolation fromExpatError(XML_Error code) {
  switch (code) {
    // Only the five predefined entities exist without a DTD, so any other reference lands
    // here; RFC 6120 names that restricted-xml rather than a syntax error.
    case XML_ERROR_UNDEFINED_ENTITY:
    case XML_ERROR_RECURSIVE_ENTITY_REF:
    case XML_ERROR_BINARY_ENTITY_REF:
    case XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF:
    case XML_ERROR_EXTERNAL_ENTITY_HANDLING:
    case XML_ERROR_ENTITY_DECLARED_IN_PE:
    case XML_ERROR_PARAM_ENTITY_REF:
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4)
    case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
#endif
      return StreamViolation::kRestrictedXml;
    default:
      return StreamViolation::kNotWellFormed;
  }
}

ParserCore& core(void* self) {
  return *static_cast<ParserCore*>(self);
}

}  // namespace

ParserCore::ParserCore(const Limits& limits, Mode mode) : limits_(limits), mode_(mode) {
  clear();
}

ParserCore::~ParserCore() {
  if (parser_) XML_ParserFree(parser_);
}

void ParserCore::clear() {
  if (parser_) XML_ParserFree(parser_);
  parser_ = nullptr;
  handler_ = nullptr;
  stanza_.reset();
  open_ = {};
  defaultNs_ = {};
  rawHeader_ = {};
  fed_ = 0;
  unitStart_ = 0;
  depth_ = mode_ == Mode::kDocument ? 1 : 0;
  nsDecls_ = 0;
  violation_ = StreamViolation::kNone;
  stopped_ = false;
  hibernating_ = false;
  replaying_ = false;
}

bool ParserCore::create() {
  // The encoding is fixed: XMPP is UTF-8 only, whatever the XML declaration claims.
  parser_ = XML_ParserCreateNS("UTF-8", kSeparator);
  if (!parser_) return false;
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, onStart, onEnd);
  XML_SetCharacterDataHandler(parser_, onText);
  XML_SetStartNamespaceDeclHandler(parser_, onNamespaceDecl);
  XML_SetProcessingInstructionHandler(parser_, onRestricted);
  XML_SetCommentHandler(parser_, onComment);
  // Refusing the DOCTYPE as it opens means no entity is ever declared; the entity handlers
  // are a second line in case a declaration is ever reached.
  XML_SetStartDoctypeDeclHandler(parser_, onDoctype);
  XML_SetEntityDeclHandler(parser_, onEntityDecl);
  XML_SetSkippedEntityHandler(parser_, onSkippedEntity);
  XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
#ifdef IMPD_EXPAT_HAS_AMPLIFICATION_LIMIT
  // Defence in depth against entity expansion: without entities the factor stays at 1.
  XML_SetBillionLaughsAttackProtectionMaximumAmplification(parser_, 4.0f);
  XML_SetBillionLaughsAttackProtectionActivationThreshold(parser_, 64 * 1024);
#endif
  return true;
}

StreamViolation ParserCore::parse(std::string_view bytes, bool final, StreamHandler& handler) {
  if (stopped_) return violation_;
  // Callers slice their input; only a document under an absurd limit could get here.
  if (bytes.size() > INT_MAX) return violation_ = StreamViolation::kPolicyViolation;
  // Creation fails only without memory; refusing the stream is all that is left to do.
  if (!parser_) {
    if (!create()) return violation_ = StreamViolation::kPolicyViolation;
    // A header that parsed once parses again; failing here would be a broken invariant.
    if (hibernating_ && !wake(handler)) {
      stopped_ = true;
      return violation_ = StreamViolation::kNotWellFormed;
    }
  }
  handler_ = &handler;
  fed_ += bytes.size();
  auto status = XML_Parse(parser_, bytes.data(), static_cast<int>(bytes.size()), final);
  handler_ = nullptr;
  if (status == XML_STATUS_ERROR && !stopped_) {
    stopped_ = true;
    violation_ = fromExpatError(XML_GetErrorCode(parser_));
  }
  return violation_;
}

void ParserCore::stop(StreamViolation violation) {
  if (stopped_) return;
  stopped_ = true;
  violation_ = violation;
  if (parser_) XML_StopParser(parser_, XML_FALSE);
}

std::string_view ParserCore::pendingToken() const {
  if (!parser_ || stopped_) return {};
  int offset = 0;
  int size = 0;
  const char* buffer = XML_GetInputContext(parser_, &offset, &size);
  if (!buffer || offset < 0 || size < offset) return {};
  return {buffer + offset, static_cast<std::size_t>(size - offset)};
}

bool ParserCore::overLimit(std::size_t heldBack) const {
  return fed_ + heldBack - unitStart_ > limits_.maxStanzaBytes;
}

std::uint64_t ParserCore::eventEnd() const {
  auto index = XML_GetCurrentByteIndex(parser_);
  auto count = XML_GetCurrentByteCount(parser_);
  return static_cast<std::uint64_t>(index < 0 ? 0 : index) +
         static_cast<std::uint64_t>(count < 0 ? 0 : count);
}

bool ParserCore::withinLimit() {
  if (eventEnd() - unitStart_ <= limits_.maxStanzaBytes) return true;
  stop(StreamViolation::kPolicyViolation);
  return false;
}

bool ParserCore::buildElement(const char* name, const char** atts, Element& out) {
  std::string_view full(name);
  auto bar = full.rfind(kSeparator);
  if (bar == std::string_view::npos) {
    out.setName(std::string(full));
  } else {
    out.setNs(std::string(full.substr(0, bar)));
    out.setName(std::string(full.substr(bar + 1)));
  }
  unsigned count = 0;
  for (const char** a = atts; *a; a += 2) {
    std::string_view value(a[1]);
    if (++count > limits_.maxAttributes || value.size() > limits_.maxAttributeBytes) {
      stop(StreamViolation::kPolicyViolation);
      return false;
    }
    // Unprefixed attributes have no namespace and arrive bare; the others as "uri|local",
    // which is exactly how Element names them.
    out.setAttr(a[0], value);
  }
  return true;
}

void ParserCore::openStream(const char* name, const char** atts) {
  if (std::string_view(name) != kStreamRoot) return stop(StreamViolation::kInvalidNamespace);
  Element header("stream", std::string(kStreamNs));
  if (!buildElement(name, atts, header)) return;
  depth_ = 1;
  unitStart_ = eventEnd();
  std::string defaultNs = std::move(defaultNs_);
  defaultNs_ = {};
  if (replaying_) return;
  auto count = XML_GetCurrentByteCount(parser_);
  int offset = 0;
  int size = 0;
  const char* buffer = XML_GetInputContext(parser_, &offset, &size);
  if (buffer && count > 0 && static_cast<std::size_t>(count) <= kMaxSavedHeader && offset >= 0 &&
      offset + count <= size) {
    rawHeader_.assign(buffer + offset, static_cast<std::size_t>(count));
  }
  handler_->onStreamOpen(header, defaultNs);
}

void ParserCore::onStart(void* self, const char* name, const char** atts) {
  ParserCore& p = core(self);
  if (p.stopped_) return;
  p.nsDecls_ = 0;
  if (!p.withinLimit()) return;
  if (p.depth_ == 0) return p.openStream(name, atts);
  if (p.depth_ > p.limits_.maxDepth) return p.stop(StreamViolation::kPolicyViolation);
  Element element;
  if (!p.buildElement(name, atts, element)) return;
  if (p.depth_ == 1) {
    p.stanza_ = std::make_unique<Element>(std::move(element));
    p.open_.push_back(p.stanza_.get());
  } else {
    p.open_.push_back(&p.open_.back()->addChild(std::move(element)));
  }
  ++p.depth_;
}

void ParserCore::onEnd(void* self, const char*) {
  ParserCore& p = core(self);
  if (p.stopped_ || !p.withinLimit()) return;
  --p.depth_;
  if (p.depth_ == 0) {
    p.unitStart_ = p.eventEnd();
    p.handler_->onStreamClose();
  } else if (p.depth_ == 1) {
    p.open_.clear();
    p.unitStart_ = p.eventEnd();
    std::unique_ptr<Element> stanza = std::move(p.stanza_);
    p.handler_->onStanza(std::move(*stanza));
  } else {
    p.open_.pop_back();
  }
}

void ParserCore::onText(void* self, const char* s, int len) {
  ParserCore& p = core(self);
  if (p.stopped_) return;
  std::string_view text(s, static_cast<std::size_t>(len));
  if (p.depth_ <= 1) {
    // Between stanzas only whitespace (keep-alives) may appear; it ends the previous unit.
    if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      return p.stop(StreamViolation::kBadFormat);
    }
    p.unitStart_ = p.eventEnd();
    return;
  }
  if (p.withinLimit()) p.open_.back()->addText(text);
}

void ParserCore::onNamespaceDecl(void* self, const char* prefix, const char* uri) {
  ParserCore& p = core(self);
  if (p.stopped_) return;
  if (++p.nsDecls_ > p.limits_.maxNamespaceDecls) return p.stop(StreamViolation::kPolicyViolation);
  if (p.depth_ == 0 && !prefix) p.defaultNs_ = uri ? uri : "";
}

void ParserCore::onRestricted(void* self, const char*, const char*) {
  core(self).stop(StreamViolation::kRestrictedXml);
}

void ParserCore::onComment(void* self, const char*) {
  core(self).stop(StreamViolation::kRestrictedXml);
}

void ParserCore::onDoctype(void* self, const char*, const char*, const char*, int) {
  core(self).stop(StreamViolation::kRestrictedXml);
}

void ParserCore::onEntityDecl(void* self, const char*, int, const char*, int, const char*,
                              const char*, const char*, const char*) {
  core(self).stop(StreamViolation::kRestrictedXml);
}

void ParserCore::onSkippedEntity(void* self, const char*, int) {
  core(self).stop(StreamViolation::kRestrictedXml);
}

}  // namespace impd::xml::detail
