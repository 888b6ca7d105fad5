#pragma once
// Certificates made in memory for the tests: a CA, intermediates and leaves with any mix of
// subjectAltName entries, extendedKeyUsage and validity. EC P-256 keys, SHA-256 signatures.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

namespace impd::net::test {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct KeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct StoreFree {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct StackFree {
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using StorePtr = std::unique_ptr<X509_STORE, StoreFree>;
using StackPtr = std::unique_ptr<STACK_OF(X509), StackFree>;

enum class SanType { kDns, kXmppAddr, kSrvName };
struct San {
  SanType type;
  std::string value;  // bytes as they go into the certificate (may hold a NUL)
};

struct CertSpec {
  std::string commonName = "peer";
  std::vector<San> san;          // no subjectAltName extension when empty
  std::string extendedKeyUsage;  // OpenSSL syntax ("serverAuth,clientAuth"); none when empty
  long notBeforeDays = -1;       // relative to now
  long notAfterDays = 30;
  bool ca = false;
};

struct Issued {
  X509Ptr cert;
  KeyPtr key;
};

inline CertSpec caSpec(std::string commonName) {
  CertSpec spec;
  spec.commonName = std::move(commonName);
  spec.ca = true;
  return spec;
}
inline CertSpec leafSpec(std::string commonName, std::string extendedKeyUsage = {},
                         std::vector<San> san = {}) {
  CertSpec spec;
  spec.commonName = std::move(commonName);
  spec.extendedKeyUsage = std::move(extendedKeyUsage);
  spec.san = std::move(san);
  return spec;
}

// A self-signed certificate (with ca = true: a trust anchor).
Issued selfSigned(CertSpec spec);
// A certificate signed by `issuer`.
Issued issue(const CertSpec& spec, const Issued& issuer);
// A store trusting exactly `anchor`.
StorePtr trustOnly(X509* anchor);
// An untrusted chain holding copies of the given certificates.
StackPtr chainOf(std::vector<X509*> certs);

}  // namespace impd::net::test
