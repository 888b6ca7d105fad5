#pragma once
// SIP and SIPS URIs (RFC 3261 §19.1, grammar of §25.1), the pres: and im: URIs that PIDF
// entities carry (RFC 3859/3860: scheme, user and host only), and any other absoluteURI kept
// opaque (tel:, http:, urn: ... where a name-addr or Request-URI may hold them).
//
// The parts are kept as written so str() gives back the input (the scheme is lower-cased);
// accessors that compare or look up decode %-escapes first, as §19.1.4 prescribes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace impd::sip {

// One uri-parameter (";name=value") or header ("name=value" after '?').
struct UriField {
  std::string name;   // %-decoded
  std::string value;  // %-decoded; empty when there is no value
  bool hasValue = false;
  std::string raw;  // "name=value" as written (escapes kept)

  friend bool operator==(const UriField&, const UriField&) = default;
};

class Uri {
 public:
  enum class Kind { sip, pres, im, opaque };

  Uri() = default;
  // Error condition "bad-request" naming the fault.
  static Result<Uri> parse(std::string_view text);

  Kind kind() const { return kind_; }
  const std::string& scheme() const { return scheme_; }  // lower case: "sip", "sips", ...
  bool isSip() const { return kind_ == Kind::sip; }      // sip: or sips:
  bool isSecure() const { return scheme_ == "sips"; }

  // userinfo; empty when the URI has none.
  std::string user() const;                                // %-decoded
  std::string_view userRaw() const { return user_; }       // as written
  std::string_view password() const { return password_; }  // as written
  bool hasUser() const { return hasUser_; }
  // Sets the user part from its decoded form (escaped as needed); empty removes the userinfo.
  void setUser(std::string_view user);

  // host as written: a hostname, an IPv4 address or an IPv6 reference with its brackets.
  std::string_view host() const { return host_; }
  std::optional<std::uint16_t> port() const { return port_; }
  std::string hostPort() const;  // "host" or "host:port"
  void setHost(std::string_view host) { host_ = std::string(host); }
  void setPort(std::optional<std::uint16_t> port) { port_ = port; }

  // uri-parameters in order; names compare case-insensitively after decoding. param() gives the
  // decoded value ("" for a flag such as lr), nullopt when absent.
  const std::vector<UriField>& params() const { return params_; }
  std::optional<std::string_view> param(std::string_view name) const;
  bool hasParam(std::string_view name) const { return param(name).has_value(); }
  // Replaces the first parameter of that name in place, or appends one; the value is escaped
  // as needed. setParam(name) without value writes a flag ("lr").
  void setParam(std::string_view name, std::optional<std::string_view> value = std::nullopt);
  bool removeParam(std::string_view name);

  // headers ("?name=value&...") in order, decoded.
  const std::vector<UriField>& headers() const { return headers_; }
  std::optional<std::string_view> header(std::string_view name) const;
  void clearHeaders() { headers_.clear(); }

  // For Kind::opaque: everything after "scheme:".
  const std::string& opaque() const { return opaque_; }

  std::string str() const;
  bool empty() const { return scheme_.empty(); }

  // Field-by-field identity (not the §19.1.4 equivalence; see equivalent()).
  friend bool operator==(const Uri&, const Uri&) = default;

 private:
  Kind kind_ = Kind::sip;
  std::string scheme_;
  std::string user_, password_;
  bool hasUser_ = false;
  bool hasPassword_ = false;
  std::string host_;
  std::optional<std::uint16_t> port_;
  std::vector<UriField> params_, headers_;
  std::string opaque_;
};

// URI comparison of RFC 3261 §19.1.4: scheme and host case-insensitive, userinfo
// case-sensitive after decoding, ports must both be absent or equal, the user, ttl, method,
// maddr and transport parameters must match when either side has them, other parameters only
// when both have them, and headers must match as sets. pres:/im: compare scheme, user and host;
// opaque URIs compare scheme case-insensitively and the rest exactly.
bool equivalent(const Uri& a, const Uri& b);

}  // namespace impd::sip
