// parse(): one complete SIP message from a datagram or a framed stream chunk (message.h).
//
// Beyond the grammar, a message is refused (400) when a request's Request-URI is not a URI
// (or is a SIP URI with headers, RFC 3261 §19.1.1), and, with Limits::checkCoreHeaders, when
// To, From, Call-ID, CSeq or Via is missing, when a single-valued header (Call-ID, CSeq, From,
// To, Max-Forwards, Content-Type) appears twice, when CSeq is malformed, or when a request's
// CSeq method differs from its method (§8.1.1, RFC 4475 §3.1.2.17, §3.3.1, §3.3.9).
#include "codec/sip/grammar.h"
#include "codec/sip/header_block.h"
#include "codec/sip/header_names.h"
#include "codec/sip/headers.h"
#include "codec/sip/message.h"
#include "codec/sip/uri.h"

namespace impd::sip {

namespace {

using grammar::badRequest;

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; only 2.0 is spoken.
Result<void> checkVersion(std::string_view v) {
  if (v.size() < 4 || !grammar::iequals(v.substr(0, 4), "SIP/")) {
    return badRequest("bad protocol version");
  }
  std::string_view nums = v.substr(4);
  std::size_t dot = nums.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == nums.size()) {
    return badRequest("bad protocol version");
  }
  for (std::size_t i = 0; i < nums.size(); ++i) {
    if (i != dot && !grammar::isDigit(nums[i])) return badRequest("bad protocol version");
  }
  if (nums != "2.0") return makeError("version", "unsupported SIP version " + std::string(v));
  return {};
}

Result<void> checkRequestUri(std::string_view text) {
  auto uri = Uri::parse(text);
  if (!uri) return badRequest("bad Request-URI: " + uri.error().message);
  if (uri->isSip() && !uri->headers().empty()) return badRequest("Request-URI with headers");
  return {};
}

bool isReasonChar(char c) {
  auto b = static_cast<unsigned char>(c);
  return c == '\t' || (b >= 0x20 && b != 0x7f);
}

}  // namespace

class Parser {
 public:
  static Result<void> startLine(std::string_view line, Message& m) {
    if (line.size() >= 4 && grammar::iequals(line.substr(0, 4), "SIP/")) {
      // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
      std::size_t sp = line.find(' ');
      if (sp == std::string_view::npos) return badRequest("status line without status code");
      if (auto v = checkVersion(line.substr(0, sp)); !v) return v.error();
      std::string_view rest = line.substr(sp + 1);
      if (rest.size() < 3 || !grammar::isDigit(rest[0]) || !grammar::isDigit(rest[1]) ||
          !grammar::isDigit(rest[2]) || (rest.size() > 3 && rest[3] != ' ')) {
        return badRequest("status code is not three digits");
      }
      int status = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
      if (status < 100 || status > 699) return badRequest("status code outside 100-699");
      std::string_view reason = rest.size() > 3 ? rest.substr(4) : std::string_view{};
      for (char c : reason) {
        if (!isReasonChar(c)) return badRequest("control character in reason phrase");
      }
      m.status_ = status;
      m.reason_ = std::string(reason);
      return {};
    }
    // Request-Line = Method SP Request-URI SP SIP-Version: exactly two single spaces.
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp1 == sp2) return badRequest("bad request line");
    std::string_view method = line.substr(0, sp1);
    if (!grammar::isToken(method)) return badRequest("bad method");
    if (auto v = checkVersion(line.substr(sp2 + 1)); !v) return v.error();
    if (auto u = checkRequestUri(line.substr(sp1 + 1, sp2 - sp1 - 1)); !u) return u.error();
    m.method_ = std::string(method);
    m.uri_ = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
    return {};
  }

  static Result<void> headers(std::vector<RawHeader>& raw, const Limits& limits, Message& m) {
    for (RawHeader& h : raw) {
      std::string name = canonicalHeaderName(h.name);
      // The body carries the length; serialize() writes Content-Length from it.
      if (name == "Content-Length") continue;
      bool split = isListHeader(name) && !h.value.empty() && !(name == "Contact" && h.value == "*");
      if (!split) {
        m.headers_.push_back(Header{std::move(name), std::move(h.value)});
      } else {
        for (std::string& element : splitList(h.value)) {
          m.headers_.push_back(Header{name, std::move(element)});
        }
      }
      if (m.headers_.size() > limits.maxHeaders) return makeError("too-large", "too many headers");
    }
    return {};
  }

  static Result<void> coreHeaders(const Message& m) {
    for (std::string_view name : {"Via", "From", "To", "Call-ID", "CSeq"}) {
      if (!m.has(name)) return badRequest("missing " + std::string(name));
    }
    for (std::string_view name :
         {"Call-ID", "CSeq", "From", "To", "Max-Forwards", "Content-Type"}) {
      if (m.getAll(name).size() > 1) return badRequest("more than one " + std::string(name));
    }
    auto cseq = CSeq::parse(*m.get("CSeq"));
    if (!cseq) return badRequest("bad CSeq: " + cseq.error().message);
    if (m.isRequest() && cseq->method != m.method_) {
      return badRequest("CSeq method does not match the request method");
    }
    return {};
  }
};

Result<Message> parse(std::string_view text, const Limits& limits) {
  // Keep-alive CRLFs before a message (RFC 5626 §3.5.1) are skipped.
  std::size_t start = 0;
  while (start < text.size() && (text[start] == '\r' || text[start] == '\n')) ++start;
  text.remove_prefix(start);
  if (text.empty()) return badRequest("empty message");

  std::size_t end = findHeaderEnd(text, limits.maxHeaderBytes);
  if (end == std::string_view::npos) {
    if (text.size() > limits.maxHeaderBytes) return makeError("too-large", "headers too large");
    return badRequest("header section not terminated by an empty line");
  }
  if (end > limits.maxHeaderBytes) return makeError("too-large", "headers too large");
  auto block = lexHeaderBlock(text.substr(0, end), limits);
  if (!block) return block.error();

  Message m;
  if (auto r = Parser::startLine(block->startLine, m); !r) return r.error();
  auto length = contentLength(block->headers, limits);
  if (!length) return length.error();
  if (auto r = Parser::headers(block->headers, limits, m); !r) return r.error();

  std::string_view rest = text.substr(end);
  if (*length) {
    if (rest.size() < **length) return badRequest("body shorter than Content-Length");
    // Bytes after the body are not part of this message (RFC 3261 §18.3: discarded).
    m.setBody(std::string(rest.substr(0, **length)));
  } else {
    if (rest.size() > limits.maxBodyBytes) return makeError("too-large", "body too large");
    m.setBody(std::string(rest));
  }
  if (limits.checkCoreHeaders) {
    if (auto r = Parser::coreHeaders(m); !r) return r.error();
  }
  return m;
}

}  // namespace impd::sip
