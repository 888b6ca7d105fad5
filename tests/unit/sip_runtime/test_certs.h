#pragma once
// Certificates made in memory for the identity tests, with any mix of subjectAltName URI and
// dNSName entries (byte strings, so a NUL can be planted) and an optional subject CN.
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

namespace impd::sip::test {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

struct San {
  enum class Type { kUri, kDns } type;
  std::string value;
};
inline San uri(std::string v) { return {San::Type::kUri, std::move(v)}; }
inline San dns(std::string v) { return {San::Type::kDns, std::move(v)}; }

// Self-signed; no subjectAltName extension at all when `san` is empty.
X509Ptr certificate(std::string commonName, std::vector<San> san);

}  // namespace impd::sip::test
