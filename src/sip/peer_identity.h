#pragma once
// Which SIP domains a peer certificate speaks for (RFC 5922 §7.1): the host of each
// subjectAltName URI "sip:<domain>" (no user part), each dNSName, and the subject CN only when
// the certificate has no subjectAltName at all. Wildcards never count (RFC 5922 §7.2), unlike
// the RFC 6125 rules XMPP uses (net/cert_identity.h). Pure functions; no sockets.
#include <openssl/x509.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace impd::sip {

struct SipIdentities {
  std::vector<std::string> uriHosts;     // from SAN URIs sip:<host>
  std::vector<std::string> dnsNames;     // SAN dNSName values
  std::vector<std::string> commonNames;  // subject CN, filled only when hasSan is false
  bool hasSan = false;
};

// What we know of the certificate the other end of a TLS connection presented.
struct PeerCertificate {
  bool presented = false;
  bool trusted = false;  // the chain verified against [tls] ca_file (or the system store)
  std::string problem;   // why it is not trusted, for logs
  SipIdentities names;
};

SipIdentities extractIdentities(X509* cert);

// The identity that names `domain` ("URI:sip:lync.test", "DNS:lync.test", "CN:lync.test"),
// or nullopt. Comparison is case-insensitive and ignores one trailing root dot.
std::optional<std::string> matchSipDomain(const SipIdentities& names, std::string_view domain);

// Every identity, for log lines ("URI:sip:a.test, DNS:edge.a.test").
std::string describe(const SipIdentities& names);

// A trusted certificate that names `domain`.
bool certifies(const PeerCertificate& certificate, std::string_view domain);

}  // namespace impd::sip
