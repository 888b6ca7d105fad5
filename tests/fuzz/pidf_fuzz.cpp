// The SIMPLE body parsers on arbitrary bytes: PIDF, SDP, ms-text-format, isComposing and
// KeyboardActivity each get the whole input. Whatever a parser accepts must survive our own
// builder: build it again and the result must parse back to the same meaning.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/simple/is_composing.h"
#include "codec/simple/ms_text_format.h"
#include "codec/simple/pidf.h"
#include "codec/simple/sdp.h"

namespace {

using namespace impd::simple;

void check(bool condition) {
  if (!condition) std::abort();
}

void fuzzPidf(std::string_view text) {
  auto doc = parsePidf(text);
  if (!doc) {
    check(doc.error().condition == "bad-request");
    return;
  }
  auto again = parsePidf(buildPidf(*doc));
  check(again.ok());
  check(availabilityOf(*again) == availabilityOf(*doc));
  check(again->open == (availabilityOf(*doc) != impd::presence::Availability::offline));
  check(again->note == doc->note);
  check(again->displayName == doc->displayName);
}

void fuzzSdp(std::string_view text) {
  auto sdp = parseSdp(text);
  if (!sdp) {
    check(sdp.error().condition == "bad-request");
    return;
  }
  if (!sdp->messageSession) return;
  SdpParams params;
  params.address = sdp->address.empty() ? "192.0.2.1" : sdp->address;
  params.port = sdp->port;
  params.acceptTypes = sdp->acceptTypes;
  auto answer = buildSdpAnswer(params, "sip:fuzz@example.com");
  if (!answer) return;  // a parsed token may hold control bytes the builder refuses
  auto back = parseSdp(*answer);
  check(back.ok() && back->messageSession && back->port == sdp->port);
  check(back->target == "sip:fuzz@example.com");
  if (!params.acceptTypes.empty()) check(back->acceptTypes == params.acceptTypes);
}

void fuzzMsTextFormat(std::string_view text) {
  auto format = parseMsTextFormat(text);
  if (!format) {
    check(format.error().condition == "bad-request");
    return;
  }
  if (!format->body) return;
  auto back = parseMsTextFormat(formatMsTextFormat(format->contentType, *format->body));
  check(back.ok() && back->body == format->body && back->contentType == format->contentType);
}

void fuzzComposing(std::string_view text) {
  if (auto composing = parseIsComposing(text)) {
    auto back = parseIsComposing(buildIsComposing(*composing));
    check(back.ok() && *back == *composing);
  }
  if (auto state = parseKeyboardActivity(text)) {
    auto back = parseKeyboardActivity(buildKeyboardActivity(*state));
    check(back.ok() && *back == *state);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzzPidf(text);
  fuzzSdp(text);
  fuzzMsTextFormat(text);
  fuzzComposing(text);
  return 0;
}
