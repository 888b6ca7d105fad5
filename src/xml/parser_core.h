#pragma once
// Internal to impd_xml: the expat callbacks shared by StreamParser and parseDocument. They
// build one stanza at a time and enforce Limits and restricted XML (RFC 6120 §11.1) as the
// events arrive, so nothing oversized is ever held beyond the limit.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xml/element.h"
#include "xml/stream_parser.h"

struct XML_ParserStruct;

namespace impd::xml::detail {

class ParserCore {
 public:
  // A document is parsed as if already inside a stream: its root is the one "stanza".
  enum class Mode : std::uint8_t { kStream, kDocument };

  ParserCore(const Limits& limits, Mode mode);
  ~ParserCore();
  ParserCore(const ParserCore&) = delete;
  ParserCore& operator=(const ParserCore&) = delete;

  // Parses more bytes, calling handler synchronously. The expat parser is created on first
  // use, so a stream that has not started yet costs no parser memory.
  StreamViolation parse(std::string_view bytes, bool final, StreamHandler& handler);
  // Stops the running parse; the callbacks expat still makes for the current token are
  // ignored. kNone stops without failing (a stream restart).
  void stop(StreamViolation violation);
  // Frees the expat parser and forgets the stream. Never call while parse() runs.
  void clear();

  // Frees the expat parser while the stream sits between stanzas with nothing pending; the
  // next parse() rebuilds it by replaying the saved stream header, without reporting it again.
  // Returns false, changing nothing, when that is not possible.
  bool hibernate();

  // Bytes expat holds of a token it has not completed yet.
  std::string_view pendingToken() const;
  // Whether the top-level unit being read (stream header or stanza), counting heldBack bytes
  // not yet given to expat, is already over maxStanzaBytes.
  bool overLimit(std::size_t heldBack) const;

 private:
  bool create();
  bool wake(StreamHandler& handler);
  bool withinLimit();
  void openStream(const char* name, const char** atts);
  bool buildElement(const char* name, const char** atts, Element& out);
  std::uint64_t eventEnd() const;

  static void onStart(void* self, const char* name, const char** atts);
  static void onEnd(void* self, const char* name);
  static void onText(void* self, const char* s, int len);
  static void onNamespaceDecl(void* self, const char* prefix, const char* uri);
  static void onRestricted(void* self, const char*, const char*);
  static void onComment(void* self, const char*);
  static void onDoctype(void* self, const char*, const char*, const char*, int);
  static void onEntityDecl(void* self, const char*, int, const char*, int, const char*, const char*,
                           const char*, const char*);
  static void onSkippedEntity(void* self, const char*, int);

  Limits limits_;
  XML_ParserStruct* parser_ = nullptr;
  StreamHandler* handler_ = nullptr;
  std::unique_ptr<Element> stanza_;  // the stanza being built, if any
  std::vector<Element*> open_;       // its open elements, innermost last
  std::string defaultNs_;            // declared on the stream root, until it is reported
  std::string rawHeader_;            // the stream root's start tag as received, for wake()
  std::uint64_t fed_ = 0;            // bytes given to this expat parser
  std::uint64_t unitStart_ = 0;      // where the current stream header or stanza began
  unsigned depth_ = 0;               // 0 before the root, 1 between stanzas, more inside one
  unsigned nsDecls_ = 0;             // declarations seen for the element being opened
  StreamViolation violation_ = StreamViolation::kNone;
  Mode mode_;
  bool stopped_ = false;
  bool hibernating_ = false;  // parser_ was freed between stanzas
  bool replaying_ = false;    // wake() is feeding rawHeader_ to a new parser
};

}  // namespace impd::xml::detail
