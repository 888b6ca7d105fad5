// The Via header view (headers.h): sent-protocol, sent-by and the via-params of RFC 3261
// §20.42, with rport of RFC 3581.
#include "codec/sip/grammar.h"
#include "codec/sip/headers.h"
#include "codec/sip/host.h"

namespace impd::sip {

namespace {

using grammar::badRequest;

std::optional<unsigned> smallNumber(std::string_view digits, unsigned max) {
  if (digits.empty() || digits.size() > 3) return std::nullopt;
  unsigned v = 0;
  for (char c : digits) {
    if (!grammar::isDigit(c)) return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

// The via-params with a grammar of their own; anything else is a via-extension.
Result<void> checkParams(const Params& params) {
  for (const Param& p : params.items()) {
    bool valid = true;
    if (grammar::iequals(p.name, "branch")) {
      valid = p.hasValue && !p.quoted && grammar::isToken(p.value);
    } else if (grammar::iequals(p.name, "received")) {
      valid = p.hasValue && !p.quoted && host::isIpAddress(p.value);
    } else if (grammar::iequals(p.name, "rport")) {
      valid = !p.hasValue || (!p.quoted && host::parsePort(p.value).has_value());
    } else if (grammar::iequals(p.name, "ttl")) {
      valid = p.hasValue && !p.quoted && smallNumber(p.value, 255).has_value();
    } else if (grammar::iequals(p.name, "maddr")) {
      valid =
          p.hasValue && !p.quoted && !p.value.empty() && host::scanHost(p.value) == p.value.size();
    }
    if (!valid) return badRequest("bad Via parameter " + p.name);
  }
  return {};
}

}  // namespace

Via::Via(std::string transport, std::string host, std::optional<std::uint16_t> port)
    : transport_(grammar::toUpper(transport)), host_(std::move(host)), port_(port) {}

Result<Via> Via::parse(std::string_view value) {
  grammar::Scanner in(value);
  in.skipLws();
  Via via;
  std::string_view name = in.token();
  if (name.empty() || !in.consumeSeparator('/')) return badRequest("bad Via sent-protocol");
  std::string_view version = in.token();
  if (version.empty() || !in.consumeSeparator('/')) return badRequest("bad Via sent-protocol");
  std::string_view transport = in.token();
  if (transport.empty()) return badRequest("Via without transport");
  via.protocolName_ = grammar::toUpper(name);
  via.protocolVersion_ = std::string(version);
  via.transport_ = grammar::toUpper(transport);
  if (!in.skipLws()) return badRequest("Via needs whitespace before sent-by");

  std::size_t hostLen = host::scanHost(in.rest());
  if (hostLen == 0) return badRequest("bad Via sent-by host");
  via.host_ = std::string(in.rest().substr(0, hostLen));
  in.seek(in.pos() + hostLen);
  if (in.consumeSeparator(':')) {
    auto port = host::parsePort(in.span(grammar::isDigit));
    if (!port) return badRequest("bad Via sent-by port");
    via.port_ = *port;
  }
  auto params = Params::parse(in);
  if (!params) return params.error();
  in.skipLws();
  if (!in.atEnd()) return badRequest("unexpected text in Via");
  if (auto checked = checkParams(*params); !checked) return checked.error();
  via.params_ = std::move(*params);
  return via;
}

std::string Via::sentBy() const {
  std::string out = host_;
  if (port_) out += ":" + std::to_string(*port_);
  return out;
}

void Via::setTransport(std::string_view transport) {
  transport_ = grammar::toUpper(transport);
}

void Via::setSentBy(std::string_view host, std::optional<std::uint16_t> port) {
  host_ = std::string(host);
  port_ = port;
}

std::optional<std::uint8_t> Via::ttl() const {
  auto v = params_.get("ttl");
  if (!v) return std::nullopt;
  auto n = smallNumber(*v, 255);
  if (!n) return std::nullopt;
  return static_cast<std::uint8_t>(*n);
}

Via::Rport Via::rport() const {
  Rport out;
  const Param* p = params_.find("rport");
  if (!p) return out;
  out.present = true;
  if (p->hasValue) out.port = host::parsePort(p->value);
  return out;
}

std::string Via::str() const {
  return protocol() + "/" + transport_ + " " + sentBy() + params_.str();
}

}  // namespace impd::sip
