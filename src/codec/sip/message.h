#pragma once
// A SIP message (RFC 3261 §7) as parsed off the wire or built to be sent. Headers keep their
// order and their raw values; typed views (headers.h) parse a value when it is asked for, so a
// proxy-style hop that only reads Via and CSeq never pays for the rest.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace impd::sip {

struct Header {
  std::string name;   // canonical long form ("Via", "Call-ID"; compact forms are expanded)
  std::string value;  // one value; folded lines joined with a single space, ends trimmed
};

// Parser bounds. Anything beyond them is refused (400 or 413/494 at the transport) instead of
// being buffered: a peer must not be able to make us hold megabytes of headers.
struct Limits {
  std::size_t maxHeaderBytes = 32 * 1024;   // start line + headers
  std::size_t maxHeaders = 200;
  std::size_t maxBodyBytes = 256 * 1024;
  // parse() also refuses a message missing To, From, Call-ID, CSeq or Via, with a second
  // Call-ID/CSeq/From/To/Max-Forwards/Content-Type, a malformed CSeq, or (requests) a CSeq
  // method other than the request's (RFC 3261 §8.1.1). Off only for tools that inspect
  // fragments.
  bool checkCoreHeaders = true;
};

class Message {
 public:
  static Message request(std::string method, std::string requestUri);
  static Message response(int status, std::string reason = {});

  bool isRequest() const { return status_ == 0; }
  bool isResponse() const { return status_ != 0; }
  const std::string& method() const { return method_; }      // requests only
  const std::string& requestUri() const { return uri_; }     // requests only
  void setRequestUri(std::string uri) { uri_ = std::move(uri); }
  int status() const { return status_; }                     // responses only
  const std::string& reason() const { return reason_; }      // responses only

  // Header access by name; the name compares case-insensitively and compact forms ("v", "i",
  // "f", "t", "m", "l", "c", "k", "o", "u", "e", "s", "r", "b", "x", "y") are accepted.
  // A header that carries a comma-separated list on one line (Via: a, b) is split into one
  // Header per element at parse time for the list-valued headers of RFC 3261 §7.3.1.
  std::optional<std::string_view> get(std::string_view name) const;       // first value
  std::vector<std::string_view> getAll(std::string_view name) const;      // every value, in order
  bool has(std::string_view name) const { return get(name).has_value(); }
  void add(std::string_view name, std::string value);                     // appended
  void prepend(std::string_view name, std::string value);                 // before the first of its name
  void set(std::string_view name, std::string value);                     // replaces every value
  std::size_t remove(std::string_view name);                              // removes every value
  // Removes only the first value of that name (a proxy popping its own Via or Route).
  bool removeFirst(std::string_view name);
  const std::vector<Header>& headers() const { return headers_; }

  const std::string& body() const { return body_; }
  // Sets the body; serialize() writes Content-Length from it (and Content-Type when given).
  void setBody(std::string body, std::string_view contentType = {});

 private:
  friend class Parser;
  std::string method_, uri_, reason_;
  int status_ = 0;
  std::vector<Header> headers_;
  std::string body_;
};

// Parses one complete message (start line, headers, CRLF, body). The body length comes from
// Content-Length; when it is absent the rest of `text` is the body (datagrams, RFC 3261 §18.3).
// Leading CRLFs (keep-alives) are skipped. Errors carry condition "bad-request" (answer 400),
// "too-large" (413/494) or "version" (505) and a message naming the fault.
// Content-Length is consumed into body() and not kept among headers(). Bytes after the body
// are ignored (RFC 3261 §18.3). Lines may end in CRLF or, leniently, in a bare LF.
Result<Message> parse(std::string_view text, const Limits& limits = {});

// The wire form: start line, headers in order, Content-Length always written (from body()),
// CRLF, body.
std::string serialize(const Message& message);

// Stream framing for TCP/TLS: how many bytes of `buffer` make up the next message. Returns
// 0 when more bytes are needed, the length of a complete message otherwise; a bare CRLF or
// double CRLF keep-alive before a message counts as a complete "message" of that length so the
// transport can consume it (isKeepAlive() tells which). Errors as parse(): no Content-Length on
// a stream, or bounds exceeded.
Result<std::size_t> frameLength(std::string_view buffer, const Limits& limits = {});
bool isKeepAlive(std::string_view frame);

// Reason phrase of RFC 3261 §21 and the SIP extensions we answer with ("" if unknown).
std::string_view reasonPhrase(int status);

}  // namespace impd::sip
