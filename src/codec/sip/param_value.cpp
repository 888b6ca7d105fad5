// Token-with-parameters header views (headers.h): Event, Subscription-State, Content-Type and
// the other `value *( SEMI param )` headers.
#include "codec/sip/grammar.h"
#include "codec/sip/headers.h"

namespace impd::sip {

Result<ParamValue> ParamValue::parse(std::string_view value) {
  grammar::Scanner in(value);
  in.skipLws();
  std::string_view token = in.token();
  if (token.empty()) return grammar::badRequest("header value does not start with a token");
  ParamValue out(std::string{token});
  auto params = Params::parse(in);
  if (!params) return params.error();
  in.skipLws();
  if (!in.atEnd()) return grammar::badRequest("unexpected text after parameters");
  out.params_ = std::move(*params);
  return out;
}

Result<ParamValue> ParamValue::parseMediaType(std::string_view value) {
  grammar::Scanner in(value);
  in.skipLws();
  std::string_view type = in.token();
  if (type.empty() || !in.consumeSeparator('/')) return grammar::badRequest("bad media type");
  std::string_view subtype = in.token();
  if (subtype.empty()) return grammar::badRequest("media type without subtype");
  ParamValue out(grammar::toLower(type) + "/" + grammar::toLower(subtype));
  auto params = Params::parse(in);
  if (!params) return params.error();
  in.skipLws();
  if (!in.atEnd()) return grammar::badRequest("unexpected text after media type");
  out.params_ = std::move(*params);
  return out;
}

std::string_view ParamValue::type() const {
  std::string_view v = value_;
  return v.substr(0, v.find('/'));
}

std::string_view ParamValue::subtype() const {
  std::string_view v = value_;
  std::size_t slash = v.find('/');
  return slash == std::string_view::npos ? std::string_view{} : v.substr(slash + 1);
}

std::optional<std::uint32_t> ParamValue::secondsParam(std::string_view name) const {
  auto v = params_.get(name);
  if (!v) return std::nullopt;
  auto seconds = parseDeltaSeconds(*v);
  if (!seconds) return std::nullopt;
  return *seconds;
}

std::string ParamValue::str() const {
  return value_ + params_.str();
}

}  // namespace impd::sip
