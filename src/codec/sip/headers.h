#pragma once
// Typed views of SIP header values (RFC 3261 §20, grammar of §25.1). Each parses one value as
// Message::get()/getAll() return it (list headers are already split into elements) and prints
// back with str(); parse(x.str()) gives an equal view. Errors carry condition "bad-request".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/random.h"
#include "base/result.h"
#include "codec/sip/params.h"
#include "codec/sip/uri.h"

namespace impd::sip {

// The RFC 3261 branch prefix (§8.1.1.7).
inline constexpr std::string_view kBranchCookie = "z9hG4bK";

// via-parm = sent-protocol LWS sent-by *( SEMI via-params ), e.g.
// "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK776;rport".
class Via {
 public:
  Via() = default;
  Via(std::string transport, std::string host, std::optional<std::uint16_t> port = std::nullopt);
  static Result<Via> parse(std::string_view value);

  std::string protocol() const { return protocolName_ + "/" + protocolVersion_; }  // "SIP/2.0"
  const std::string& transport() const { return transport_; }  // upper case: "UDP", "TLS", ...
  std::string_view host() const { return host_; }              // hostname, IPv4, or "[IPv6]"
  std::optional<std::uint16_t> port() const { return port_; }
  std::string sentBy() const;  // "host" or "host:port"
  void setTransport(std::string_view transport);
  void setSentBy(std::string_view host, std::optional<std::uint16_t> port);

  const Params& params() const { return params_; }
  std::optional<std::string_view> param(std::string_view name) const { return params_.get(name); }
  void setParam(std::string_view name, std::string_view value) { params_.set(name, value); }
  void setFlag(std::string_view name) { params_.setFlag(name); }
  bool removeParam(std::string_view name) { return params_.remove(name); }

  std::string_view branch() const { return params_.get("branch").value_or(""); }
  bool hasRfc3261Branch() const { return branch().starts_with(kBranchCookie); }
  std::string_view received() const { return params_.get("received").value_or(""); }
  std::string_view maddr() const { return params_.get("maddr").value_or(""); }
  std::optional<std::uint8_t> ttl() const;
  // rport (RFC 3581): present as a bare flag in requests, with the source port in responses.
  struct Rport {
    bool present = false;
    std::optional<std::uint16_t> port;
    explicit operator bool() const { return present; }
  };
  Rport rport() const;

  std::string str() const;
  friend bool operator==(const Via&, const Via&) = default;

 private:
  std::string protocolName_ = "SIP", protocolVersion_ = "2.0", transport_ = "UDP";
  std::string host_;
  std::optional<std::uint16_t> port_;
  Params params_;
};

// CSeq = 1*DIGIT LWS Method. The number is below 2^31 (RFC 3261 §8.1.1.5).
struct CSeq {
  std::uint32_t number = 0;
  std::string method;

  static Result<CSeq> parse(std::string_view value);
  std::string str() const;
  friend bool operator==(const CSeq&, const CSeq&) = default;
};

// From, To, Contact, Route, Record-Route, Refer-To, Reply-To, P-Asserted-Identity...:
// ( name-addr / addr-spec ) *( SEMI generic-param ). In the bare addr-spec form the parameters
// after ';' belong to the header, not to the URI (RFC 3261 §20.10), and a URI with ',', '?' or
// ';' of its own must be in <>. str() always writes the <> form.
class NameAddr {
 public:
  NameAddr() = default;
  explicit NameAddr(Uri uri, std::string displayName = {});
  static Result<NameAddr> parse(std::string_view value);
  // Contact: * (RFC 3261 §10.2.2) is not a name-addr; this tells it apart.
  static bool isWildcard(std::string_view value);

  const Uri& uri() const { return uri_; }
  Uri& uri() { return uri_; }
  void setUri(Uri uri) { uri_ = std::move(uri); }
  const std::string& displayName() const { return display_; }  // unquoted
  void setDisplayName(std::string name, bool quoted = true);

  const Params& params() const { return params_; }
  std::optional<std::string_view> param(std::string_view name) const { return params_.get(name); }
  void setParam(std::string_view name, std::string_view value) { params_.set(name, value); }
  void setFlag(std::string_view name) { params_.setFlag(name); }
  bool removeParam(std::string_view name) { return params_.remove(name); }
  std::string_view tag() const { return params_.get("tag").value_or(""); }  // "" when absent
  void setTag(std::string_view tag) { params_.set("tag", tag); }

  std::string str() const;
  friend bool operator==(const NameAddr&, const NameAddr&) = default;

 private:
  std::string display_;
  bool displayQuoted_ = false;
  Uri uri_;
  Params params_;
};

// A token (or media type) followed by parameters: Event ("presence;id=7"),
// Subscription-State ("active;expires=3600"), Content-Type ("application/pidf+xml;charset=UTF-8"),
// Content-Disposition, Accept entries, Allow-Events, ... Quoted-string values are unescaped.
class ParamValue {
 public:
  ParamValue() = default;
  explicit ParamValue(std::string value) : value_(std::move(value)) {}
  // token *( SEMI generic-param )
  static Result<ParamValue> parse(std::string_view value);
  // type SLASH subtype *( SEMI m-parameter ); type and subtype are lower-cased.
  static Result<ParamValue> parseMediaType(std::string_view value);

  const std::string& value() const { return value_; }
  // For media types: the parts around '/'.
  std::string_view type() const;
  std::string_view subtype() const;

  const Params& params() const { return params_; }
  std::optional<std::string_view> param(std::string_view name) const { return params_.get(name); }
  void setParam(std::string_view name, std::string_view value, bool quoted = false) {
    params_.set(name, value, quoted);
  }
  bool removeParam(std::string_view name) { return params_.remove(name); }
  // A parameter holding delta-seconds (expires, retry-after); nullopt when absent or malformed.
  std::optional<std::uint32_t> secondsParam(std::string_view name) const;

  std::string str() const;
  friend bool operator==(const ParamValue&, const ParamValue&) = default;

 private:
  std::string value_;
  Params params_;
};

// delta-seconds = 1*DIGIT, up to 2^32-1 (Expires, Min-Expires, Max-Forwards, Retry-After's
// number). Surrounding whitespace is allowed; anything else is "bad-request".
Result<std::uint32_t> parseDeltaSeconds(std::string_view value);

// SIP-date (RFC 3261 §20.17, the RFC 1123 form, always "GMT") as seconds since the Unix epoch.
Result<std::int64_t> parseDate(std::string_view value);

// A fresh branch: the magic cookie followed by random token characters. The randomness comes
// from the caller (SecureRandom in the server, CountingRandom in tests).
std::string newBranch(Random& random);

}  // namespace impd::sip
