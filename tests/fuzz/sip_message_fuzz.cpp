// SIP message parsing on arbitrary bytes. Whatever parse() accepts must serialize to bytes
// that parse back to the same start line, headers and body; every typed header view must
// print what it parsed so that it parses back the same; URIs must round-trip and be
// equivalent to themselves; and stream framing must agree with parse() and never claim more
// bytes than it was given.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/sip/headers.h"
#include "codec/sip/message.h"
#include "codec/sip/uri.h"

using namespace impd::sip;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

template <typename T>
void roundTrip(const impd::Result<T>& parsed, impd::Result<T> (*parseFn)(std::string_view)) {
  if (!parsed) {
    check(parsed.error().condition == "bad-request");
    return;
  }
  std::string printed = parsed->str();
  auto again = parseFn(printed);
  check(again.ok() && *again == *parsed && again->str() == printed);
}

void checkUri(std::string_view text) {
  auto uri = Uri::parse(text);
  if (!uri) return;
  check(equivalent(*uri, *uri));
  auto again = Uri::parse(uri->str());
  check(again.ok() && *again == *uri && equivalent(*again, *uri) && again->str() == uri->str());
}

void checkNameAddr(std::string_view value) {
  if (NameAddr::isWildcard(value)) return;
  auto na = NameAddr::parse(value);
  roundTrip(na, &NameAddr::parse);
  if (na) checkUri(na->uri().str());
}

void checkTypedHeaders(const Message& m) {
  for (const Header& h : m.headers()) {
    const std::string& n = h.name;
    if (n == "Via") {
      roundTrip(Via::parse(h.value), &Via::parse);
    } else if (n == "CSeq") {
      roundTrip(CSeq::parse(h.value), &CSeq::parse);
    } else if (n == "From" || n == "To" || n == "Contact" || n == "Route" || n == "Record-Route" ||
               n == "Refer-To" || n == "Reply-To" || n == "Path") {
      checkNameAddr(h.value);
    } else if (n == "Event" || n == "Subscription-State" || n == "Allow-Events") {
      roundTrip(ParamValue::parse(h.value), &ParamValue::parse);
    } else if (n == "Content-Type" || n == "Accept") {
      roundTrip(ParamValue::parseMediaType(h.value), &ParamValue::parseMediaType);
    } else if (n == "Expires" || n == "Min-Expires" || n == "Max-Forwards") {
      auto v = parseDeltaSeconds(h.value);
      if (v) check(*parseDeltaSeconds(std::to_string(*v)) == *v);
    } else if (n == "Date") {
      (void)parseDate(h.value);
    }
  }
}

bool sameMessage(const Message& a, const Message& b) {
  if (a.isRequest() != b.isRequest() || a.method() != b.method() ||
      a.requestUri() != b.requestUri() || a.status() != b.status() || a.reason() != b.reason() ||
      a.body() != b.body() || a.headers().size() != b.headers().size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.headers().size(); ++i) {
    if (a.headers()[i].name != b.headers()[i].name ||
        a.headers()[i].value != b.headers()[i].value) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Limits limits;
  limits.maxHeaderBytes = 4096;
  limits.maxHeaders = 64;
  limits.maxBodyBytes = 4096;

  auto message = parse(text, limits);
  if (!message) {
    const std::string& c = message.error().condition;
    check(c == "bad-request" || c == "too-large" || c == "version");
  } else {
    // Printing expands compact names and gives each list element a line of its own, so the
    // reparse gets room for the longer header section.
    Limits roomy = limits;
    roomy.maxHeaderBytes = 64 * 1024;
    roomy.maxHeaders = limits.maxHeaders + 1;  // the Content-Length line is one more
    std::string wire = serialize(*message);
    auto again = parse(wire, roomy);
    check(again.ok() && sameMessage(*message, *again) && serialize(*again) == wire);
    checkTypedHeaders(*message);
    if (message->isRequest()) checkUri(message->requestUri());
    // The printed form always frames as exactly itself.
    auto framed = frameLength(wire, roomy);
    check(framed.ok() && *framed == wire.size());
  }

  auto framed = frameLength(text, limits);
  if (!framed) {
    const std::string& c = framed.error().condition;
    check(c == "bad-request" || c == "too-large");
    return 0;
  }
  std::size_t n = *framed;
  check(n <= size);
  if (n == 0 || isKeepAlive(text.substr(0, n))) return 0;
  // The frame holds everything parse() reads: the same message comes out of the frame alone.
  if (message) {
    auto alone = parse(text.substr(0, n), limits);
    check(alone.ok() && sameMessage(*message, *alone));
  }
  // No shorter prefix is already a complete message.
  for (std::size_t k : {n - 1, n / 2, std::size_t{1}}) {
    if (k == 0 || k >= n) continue;
    auto partial = frameLength(text.substr(0, k), limits);
    check(partial.ok() && *partial == 0);
  }
  return 0;
}
