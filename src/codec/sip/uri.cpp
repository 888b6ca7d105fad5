// Parsing and printing of SIP, pres/im and opaque URIs (uri.h).
#include "codec/sip/uri.h"

#include "codec/sip/grammar.h"
#include "codec/sip/host.h"

namespace impd::sip {

namespace {

using grammar::badRequest;
using grammar::isUnreserved;

// The characters each URI part allows besides unreserved ones and escapes (RFC 3261 §25.1).
bool unreservedOr(char c, std::string_view extra) {
  return isUnreserved(c) || (c != '\0' && extra.find(c) != std::string_view::npos);
}

// user = 1*( unreserved / escaped / user-unreserved ), user-unreserved = "&=+$,;?/"
bool isUserChar(char c) { return unreservedOr(c, "&=+$,;?/"); }
// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
bool isPasswordChar(char c) { return unreservedOr(c, "&=+$,"); }
// paramchar = param-unreserved / unreserved / escaped; param-unreserved = "[]/:&+$"
bool isParamChar(char c) { return unreservedOr(c, "[]/:&+$"); }
// hnv-unreserved = "[]/?:+$"
bool isHeaderChar(char c) { return unreservedOr(c, "[]/?:+$"); }
// absoluteURI as RFC 2396 allows it after the scheme: uric = reserved / unreserved / escaped.
bool isOpaqueChar(char c) { return unreservedOr(c, ";/?:@&=+$,[]"); }

bool isSchemeChar(char c) {
  return grammar::isAlnum(c) || c == '+' || c == '-' || c == '.';
}

// Parses "name[=value]" (a uri-parameter, or a header when `needValue`).
Result<UriField> parseField(std::string_view raw, bool (*allowed)(char), bool needValue) {
  UriField f;
  f.raw = std::string(raw);
  std::size_t eq = raw.find('=');
  std::string_view name = raw.substr(0, eq);
  auto decodedName = grammar::percentDecode(name, allowed);
  if (name.empty() || !decodedName) return badRequest("bad URI parameter or header name");
  f.name = std::move(*decodedName);
  if (eq == std::string_view::npos) {
    if (needValue) return badRequest("URI header without '='");
    return f;
  }
  std::string_view value = raw.substr(eq + 1);
  auto decodedValue = grammar::percentDecode(value, allowed);
  // A uri-parameter value is 1*paramchar; a header value may be empty.
  if (!decodedValue || (value.empty() && !needValue)) return badRequest("bad URI parameter value");
  f.value = std::move(*decodedValue);
  f.hasValue = true;
  return f;
}

const UriField* findField(const std::vector<UriField>& fields, std::string_view name) {
  for (const UriField& f : fields) {
    if (grammar::iequals(f.name, name)) return &f;
  }
  return nullptr;
}

}  // namespace

Result<Uri> Uri::parse(std::string_view text) {
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || !grammar::isAlpha(text[0])) {
    return badRequest("URI without scheme");
  }
  Uri uri;
  for (char c : text.substr(0, colon)) {
    if (!isSchemeChar(c)) return badRequest("bad URI scheme");
  }
  uri.scheme_ = grammar::toLower(text.substr(0, colon));
  std::string_view rest = text.substr(colon + 1);

  if (uri.scheme_ != "sip" && uri.scheme_ != "sips" && uri.scheme_ != "pres" &&
      uri.scheme_ != "im") {
    if (rest.empty() || !grammar::percentDecode(rest, isOpaqueChar)) {
      return badRequest("bad absolute URI");
    }
    uri.kind_ = Kind::opaque;
    uri.opaque_ = std::string(rest);
    return uri;
  }
  bool mailbox = uri.scheme_ == "pres" || uri.scheme_ == "im";
  uri.kind_ = uri.scheme_ == "pres" ? Kind::pres : uri.scheme_ == "im" ? Kind::im : Kind::sip;

  // '@' cannot occur in a host, a parameter or a header, so the first one ends the userinfo.
  std::size_t at = rest.find('@');
  std::size_t pos = 0;
  if (at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    std::size_t pw = mailbox ? std::string_view::npos : userinfo.find(':');
    std::string_view user = userinfo.substr(0, pw);
    if (user.empty() || !grammar::percentDecode(user, isUserChar)) {
      return badRequest("bad user part in URI");
    }
    uri.user_ = std::string(user);
    uri.hasUser_ = true;
    if (pw != std::string_view::npos) {
      std::string_view password = userinfo.substr(pw + 1);
      if (!grammar::percentDecode(password, isPasswordChar)) return badRequest("bad URI password");
      uri.password_ = std::string(password);
      uri.hasPassword_ = true;
    }
    pos = at + 1;
  } else if (mailbox) {
    return badRequest("pres:/im: URI without user@");
  }

  std::size_t hostLen = host::scanHost(rest.substr(pos));
  if (hostLen == 0) return badRequest("bad host in URI");
  uri.host_ = std::string(rest.substr(pos, hostLen));
  pos += hostLen;
  if (mailbox) {
    if (pos != rest.size()) return badRequest("unexpected text after pres:/im: host");
    return uri;
  }

  if (pos < rest.size() && rest[pos] == ':') {
    std::size_t end = pos + 1;
    while (end < rest.size() && grammar::isDigit(rest[end])) ++end;
    auto port = host::parsePort(rest.substr(pos + 1, end - pos - 1));
    if (!port) return badRequest("bad port in URI");
    uri.port_ = *port;
    pos = end;
  }
  while (pos < rest.size() && rest[pos] == ';') {
    std::size_t end = rest.find_first_of(";?", pos + 1);
    if (end == std::string_view::npos) end = rest.size();
    auto field = parseField(rest.substr(pos + 1, end - pos - 1), isParamChar, false);
    if (!field) return field.error();
    uri.params_.push_back(std::move(*field));
    pos = end;
  }
  if (pos < rest.size() && rest[pos] == '?') {
    for (;;) {
      std::size_t end = rest.find('&', pos + 1);
      if (end == std::string_view::npos) end = rest.size();
      auto field = parseField(rest.substr(pos + 1, end - pos - 1), isHeaderChar, true);
      if (!field) return field.error();
      uri.headers_.push_back(std::move(*field));
      pos = end;
      if (pos >= rest.size()) break;
    }
  }
  if (pos != rest.size()) return badRequest("unexpected character in URI");
  return uri;
}

std::string Uri::user() const {
  auto decoded = grammar::percentDecode(user_, [](char) { return true; });
  return decoded ? std::move(*decoded) : user_;
}

void Uri::setUser(std::string_view user) {
  hasUser_ = !user.empty();
  user_ = grammar::percentEncode(user, isUserChar);
  if (!hasUser_) {
    password_.clear();
    hasPassword_ = false;
  }
}

std::string Uri::hostPort() const {
  std::string out = host_;
  if (port_) out += ":" + std::to_string(*port_);
  return out;
}

std::optional<std::string_view> Uri::param(std::string_view name) const {
  const UriField* f = findField(params_, name);
  if (!f) return std::nullopt;
  return std::string_view(f->value);
}

std::optional<std::string_view> Uri::header(std::string_view name) const {
  const UriField* f = findField(headers_, name);
  if (!f) return std::nullopt;
  return std::string_view(f->value);
}

void Uri::setParam(std::string_view name, std::optional<std::string_view> value) {
  UriField f;
  f.name = std::string(name);
  f.raw = grammar::percentEncode(name, isParamChar);
  // An empty value cannot be written (pvalue = 1*paramchar): it becomes a flag.
  if (value && !value->empty()) {
    f.value = std::string(*value);
    f.hasValue = true;
    f.raw += "=" + grammar::percentEncode(*value, isParamChar);
  }
  for (UriField& existing : params_) {
    if (grammar::iequals(existing.name, name)) {
      existing = std::move(f);
      return;
    }
  }
  params_.push_back(std::move(f));
}

bool Uri::removeParam(std::string_view name) {
  std::size_t before = params_.size();
  std::erase_if(params_, [&](const UriField& f) { return grammar::iequals(f.name, name); });
  return params_.size() != before;
}

std::string Uri::str() const {
  std::string out = scheme_;
  out.push_back(':');
  if (kind_ == Kind::opaque) return out + opaque_;
  if (hasUser_) {
    out += user_;
    if (hasPassword_) out += ":" + password_;
    out.push_back('@');
  }
  out += hostPort();
  for (const UriField& p : params_) out += ";" + p.raw;
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    out.push_back(i == 0 ? '?' : '&');
    out += headers_[i].raw;
  }
  return out;
}

}  // namespace impd::sip
