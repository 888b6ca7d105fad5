// Header values that are numbers: CSeq (RFC 3261 §20.16) and delta-seconds (§20.19, §20.23,
// §20.22 Max-Forwards), as declared in headers.h.
#include "codec/sip/grammar.h"
#include "codec/sip/headers.h"

namespace impd::sip {

namespace {

// 1*DIGIT no larger than `max`. Leading zeros are allowed ("0068" is 68).
std::optional<std::uint64_t> boundedNumber(std::string_view digits, std::uint64_t max) {
  if (digits.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : digits) {
    if (!grammar::isDigit(c)) return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > max) return std::nullopt;  // stops before overflow whatever the length
  }
  return v;
}

}  // namespace

Result<CSeq> CSeq::parse(std::string_view value) {
  grammar::Scanner in(value);
  in.skipLws();
  auto number = boundedNumber(in.span(grammar::isDigit), 0x7fffffffu);
  if (!number) return grammar::badRequest("CSeq number missing or above 2^31-1");
  if (!in.skipLws()) return grammar::badRequest("CSeq needs whitespace before the method");
  std::string_view method = in.token();
  in.skipLws();
  if (method.empty() || !in.atEnd()) return grammar::badRequest("bad CSeq method");
  return CSeq{static_cast<std::uint32_t>(*number), std::string(method)};
}

std::string CSeq::str() const {
  return std::to_string(number) + " " + method;
}

Result<std::uint32_t> parseDeltaSeconds(std::string_view value) {
  auto v = boundedNumber(grammar::trim(value), 0xffffffffu);
  if (!v) return grammar::badRequest("bad delta-seconds");
  return static_cast<std::uint32_t>(*v);
}

}  // namespace impd::sip
