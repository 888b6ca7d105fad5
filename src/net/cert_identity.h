#pragma once
// Checks of a server-to-server peer certificate: is the chain trusted (verifyChain), and does
// it name the XMPP domain the stream is about (matchServiceIdentity, RFC 6125 as RFC 6120
// §13.7.1.2 applies it). Pure functions over OpenSSL objects; no sockets.
//
// How the s2s code uses them after a TLS handshake (the handshake itself accepts any
// certificate, because a peer without a valid one may still authenticate with dialback):
//   X509* leaf = SSL_get0_peer_certificate(ssl);
//   auto chain = verifyChain(leaf, SSL_get_peer_cert_chain(ssl), SSL_CTX_get_cert_store(ctx),
//                            inbound ? PeerRole::kClient : PeerRole::kServer);
//   auto id = matchServiceIdentity(leaf, streamDomain);
//   SASL EXTERNAL only when both are ok; log id->kind and id->presented.
#include <openssl/x509.h>

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace impd::net {

// Error conditions.
inline constexpr std::string_view kCertUntrusted = "cert-untrusted";
inline constexpr std::string_view kCertIdentityMismatch = "cert-identity-mismatch";

enum class IdentityKind {
  kXmppAddr,  // subjectAltName otherName id-on-xmppAddr (1.3.6.1.5.5.7.8.5), UTF8String
  kSrvId,     // subjectAltName otherName id-on-dnsSRV (1.3.6.1.5.5.7.8.7), "_xmpp-server.<domain>"
  kDnsId,     // subjectAltName dNSName
  kCommonName,  // subject CN, only as the opt-in fall-back below
};
std::string_view identityKindName(IdentityKind kind);  // "xmppAddr", "SRV-ID", "DNS-ID", "CN"

struct IdentityMatch {
  IdentityKind kind;
  std::string presented;  // as written in the certificate, e.g. "*.example.com"
};

struct IdentityOptions {
  // SRV-ID service name, without the leading underscore.
  std::string_view service = "xmpp-server";
  // The domain in A-labels when it is an IDN: JIDs keep U-labels, while dNSName and SRV-ID are
  // ASCII. Empty: the domain itself (right for every ASCII domain).
  std::string_view asciiDomain;
  // RFC 6125 §6.4.4 allowed the subject CN when a certificate has no subjectAltName at all;
  // RFC 9525 removed it. Off unless a peer needs it.
  bool commonNameFallback = false;
};

// Matches the certificate against `domain` (the XMPP domain we meant to reach or that the
// peer claims in its stream header — never a SRV target). Order: xmppAddr, SRV-ID, DNS-ID.
// A wildcard is honoured only as the whole left-most label of a DNS name and covers exactly
// one label (`*.example.com` covers `a.example.com`, not `example.com` or `a.b.example.com`).
// On failure: kCertIdentityMismatch, with the identities the certificate does present.
Result<IdentityMatch> matchServiceIdentity(X509* cert, std::string_view domain,
                                           const IdentityOptions& options = {});

// The role the peer played in the TLS handshake.
enum class PeerRole {
  kServer,  // we connected to it: its certificate must be fit for serverAuth
  kClient,  // it connected to us: clientAuth, or serverAuth alone (see acceptServerAuthClient)
};

// Builds and verifies the chain from `leaf` through the untrusted `chain` (may be null, may
// hold the leaf) to an anchor in `trust`, with the checks libssl applies to that role, at time
// `at` (now when absent). On failure: kCertUntrusted with OpenSSL's reason, the depth and the
// subject of the failing certificate.
Result<void> verifyChain(X509* leaf, STACK_OF(X509) * chain, X509_STORE* trust,
                         PeerRole role = PeerRole::kServer,
                         std::optional<std::time_t> at = std::nullopt);

// OpenSSL verify callback for chains that peers present as TLS clients. Servers connecting to
// us usually reuse their server certificate, whose extendedKeyUsage often lists serverAuth
// only, and the "ssl_client" purpose would refuse it. This accepts exactly that: a purpose
// failure of a certificate that passes the serverAuth purpose. Everything else fails as usual.
// Usable with SSL_CTX_set_verify() / asio::ssl::context::set_verify_callback().
int acceptServerAuthClient(int preverified, X509_STORE_CTX* ctx);

}  // namespace impd::net
