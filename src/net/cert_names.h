#pragma once
// Reading the names an X.509 certificate presents. Shared by the two identity checks that
// differ only in which names count: XMPP's RFC 6125 rules (cert_identity.h) and SIP's RFC 5922
// rules (src/sip/peer_identity.h).
#include <openssl/x509v3.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace impd::net {

struct GeneralNamesFree {
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};
using GeneralNames = std::unique_ptr<GENERAL_NAMES, GeneralNamesFree>;

// The subjectAltName entries. `present` says whether the extension exists at all, even when it
// cannot be parsed: then the subject CN must not be consulted either.
GeneralNames subjectAltNames(X509* cert, bool& present);

// The bytes of an ASN.1 string, or nothing when they hold a NUL (a classic way to make
// "good.example\0.evil.example" pass a C-string comparison).
std::optional<std::string> asn1Text(const ASN1_STRING* s);

// The subject's commonName values as UTF-8, those holding a NUL left out.
std::vector<std::string> subjectCommonNames(X509* cert);

// ASCII case-insensitive comparison, and a name without its trailing root dot: how DNS names
// in certificates are compared.
bool equalsIgnoreCase(std::string_view a, std::string_view b);
std::string_view withoutRootDot(std::string_view name);

}  // namespace impd::net
