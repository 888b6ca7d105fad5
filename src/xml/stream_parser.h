#pragma once
// A bounded XMPP stream parser over expat. It holds at most one stanza (a child of the stream
// root) in memory at a time and hands it over complete. Anything that could make a peer cost us
// memory or CPU out of proportion is refused: oversized stanzas, deep nesting, too many
// attributes or namespace declarations, DTDs, entity declarations/references other than the
// five predefined ones, processing instructions and comments (RFC 6120 §11.1 restricted XML).
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "xml/element.h"

namespace impd::xml {

struct Limits {
  std::size_t maxStanzaBytes = 256 * 1024;  // raw bytes of one top-level stanza
  unsigned maxDepth = 32;                   // element nesting below the stream root
  unsigned maxAttributes = 32;              // per element
  unsigned maxNamespaceDecls = 16;          // per element
  std::size_t maxAttributeBytes = 8192;     // per attribute value
};

// The stream error condition (RFC 6120 §4.9.3) a violation maps to.
enum class StreamViolation {
  kNone,
  kNotWellFormed,     // not-well-formed
  kRestrictedXml,     // restricted-xml: DTD, PI, comment, entity declaration/reference
  kPolicyViolation,   // policy-violation: a size/depth/count limit
  kInvalidNamespace,  // invalid-namespace: stream root not in the streams namespace
  kBadFormat,         // bad-format: e.g. stanza before stream header, text at top level
};
std::string_view violationCondition(StreamViolation v);  // "not-well-formed", ...

class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  // The <stream:stream> header: an Element with the header's attributes (to, from, version,
  // xml:lang as "http://www.w3.org/XML/1998/namespace|lang", id) and ns
  // "http://etherx.jabber.org/streams". defaultNs is the declared default namespace
  // (jabber:client, jabber:server, ...).
  virtual void onStreamOpen(const Element& header, std::string_view defaultNs) = 0;
  // One complete top-level stanza; the handler may keep (move) it.
  virtual void onStanza(Element&& stanza) = 0;
  // </stream:stream>
  virtual void onStreamClose() = 0;
};

class StreamParser {
 public:
  explicit StreamParser(Limits limits = {});
  ~StreamParser();
  StreamParser(const StreamParser&) = delete;
  StreamParser& operator=(const StreamParser&) = delete;

  // Feeds bytes. Callbacks run synchronously from inside feed(). Returns kNone while the
  // stream is fine; after a violation the parser stays failed until reset().
  // Calling reset() from inside a callback is allowed (stream restart after STARTTLS/SASL):
  // parsing stops at that point and the remaining bytes of this feed() are dropped, which is
  // what a restart requires anyway (RFC 6120: nothing may follow the restart trigger).
  // Destroying the parser from inside a callback is allowed too (the rest of the input is
  // dropped); calling feed() from inside a callback is a bug and aborts. Handlers must not
  // throw: expat, a C library, is on the stack.
  // Bytes of a long incomplete tag may be held back from expat until one arrives that can end
  // it (expat 2.5 would rescan the tag on every call); events are never delayed by this.
  StreamViolation feed(std::string_view bytes, StreamHandler& handler);
  // Starts a new stream on a fresh parser (after STARTTLS or SASL success).
  void reset();
  // Whitespace-only input between stanzas is a keep-alive; this counts bytes seen in total.
  std::size_t bytesSeen() const;
  // Frees the expat parser (about 9 KiB once a stream is open) while the stream sits between
  // stanzas with no partial input pending; the next feed() rebuilds it from the saved stream
  // header without reporting onStreamOpen again. For idle sessions, e.g. from an idle timer:
  // rebuilding costs about as much as parsing the header. Returns false, changing nothing,
  // inside a callback, mid-stanza, before the header, after a violation or when the header
  // was too long to keep (over 1 KiB).
  bool compact();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses one complete XML document into an element (for storage and tests), with the same
// limits and restrictions as the stream parser.
bool parseDocument(std::string_view text, Element& out, Limits limits = {});

}  // namespace impd::xml
