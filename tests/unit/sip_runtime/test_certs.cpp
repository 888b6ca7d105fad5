// In-memory test certificates (test_certs.h).
#include "test_certs.h"

#include <openssl/evp.h>
#include <openssl/x509v3.h>

namespace impd::sip::test {

namespace {
struct KeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct NamesFree {
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};

GENERAL_NAME* generalName(const San& san) {
  GENERAL_NAME* name = GENERAL_NAME_new();
  ASN1_IA5STRING* text = ASN1_IA5STRING_new();
  ASN1_STRING_set(text, san.value.data(), static_cast<int>(san.value.size()));
  GENERAL_NAME_set0_value(name, san.type == San::Type::kUri ? GEN_URI : GEN_DNS, text);
  return name;
}
}  // namespace

X509Ptr certificate(std::string commonName, std::vector<San> san) {
  std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (!commonName.empty()) {
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(commonName.c_str()), -1, -1, 0);
  }
  X509_set_issuer_name(cert.get(), subject);
  if (!san.empty()) {
    std::unique_ptr<GENERAL_NAMES, NamesFree> names(GENERAL_NAMES_new());
    for (const auto& s : san) sk_GENERAL_NAME_push(names.get(), generalName(s));
    X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, 0);
  }
  X509_sign(cert.get(), key.get(), EVP_sha256());
  return cert;
}

}  // namespace impd::sip::test
