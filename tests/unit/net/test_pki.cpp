#include "test_pki.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <stdexcept>

namespace impd::net::test {

namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

KeyPtr newKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EC key generation");
  return key;
}

void addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

GENERAL_NAME* otherName(const char* oid, int type, const std::string& value) {
  ASN1_STRING* text = ASN1_STRING_type_new(type);
  ASN1_STRING_set(text, value.data(), static_cast<int>(value.size()));
  ASN1_TYPE* any = ASN1_TYPE_new();
  ASN1_TYPE_set(any, type, text);
  GENERAL_NAME* gn = GENERAL_NAME_new();
  check(GENERAL_NAME_set0_othername(gn, OBJ_txt2obj(oid, 1), any) == 1, "otherName");
  return gn;
}

// Built by hand rather than from a config string, so that values may hold any byte.
void addSan(X509* cert, const std::vector<San>& entries) {
  GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
  for (const auto& e : entries) {
    GENERAL_NAME* gn = nullptr;
    switch (e.type) {
      case SanType::kDns: {
        ASN1_IA5STRING* s = ASN1_IA5STRING_new();
        ASN1_STRING_set(s, e.value.data(), static_cast<int>(e.value.size()));
        gn = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(gn, GEN_DNS, s);
        break;
      }
      case SanType::kXmppAddr:
        gn = otherName("1.3.6.1.5.5.7.8.5", V_ASN1_UTF8STRING, e.value);
        break;
      case SanType::kSrvName:
        gn = otherName("1.3.6.1.5.5.7.8.7", V_ASN1_IA5STRING, e.value);
        break;
    }
    sk_GENERAL_NAME_push(names, gn);
  }
  check(X509_add1_ext_i2d(cert, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT) == 1, "SAN");
  GENERAL_NAMES_free(names);
}

Issued make(const CertSpec& spec, X509* issuerCert, EVP_PKEY* issuerKey) {
  Issued out{X509Ptr(X509_new()), newKey()};
  X509* cert = out.cert.get();
  static long serial = 1000;
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), ++serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), spec.notBeforeDays * 86400);
  X509_gmtime_adj(X509_getm_notAfter(cert), spec.notAfterDays * 86400);
  X509_set_pubkey(cert, out.key.get());
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.commonName.c_str()), -1,
                             -1, 0);
  X509* issuer = issuerCert ? issuerCert : cert;
  X509_set_issuer_name(cert, X509_get_subject_name(issuer));
  addExtension(cert, issuer, NID_basic_constraints, spec.ca ? "critical,CA:TRUE" : "CA:FALSE");
  addExtension(cert, issuer, NID_key_usage,
               spec.ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  addExtension(cert, issuer, NID_subject_key_identifier, "hash");
  if (issuerCert) addExtension(cert, issuer, NID_authority_key_identifier, "keyid");
  if (!spec.extendedKeyUsage.empty()) {
    addExtension(cert, issuer, NID_ext_key_usage, spec.extendedKeyUsage);
  }
  if (!spec.san.empty()) addSan(cert, spec.san);
  check(X509_sign(cert, issuerKey ? issuerKey : out.key.get(), EVP_sha256()) > 0, "signing");
  return out;
}

}  // namespace

Issued selfSigned(CertSpec spec) {
  return make(spec, nullptr, nullptr);
}

Issued issue(const CertSpec& spec, const Issued& issuer) {
  return make(spec, issuer.cert.get(), issuer.key.get());
}

StorePtr trustOnly(X509* anchor) {
  StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), anchor);
  return store;
}

StackPtr chainOf(std::vector<X509*> certs) {
  StackPtr stack(sk_X509_new_null());
  for (X509* c : certs) {
    X509_up_ref(c);
    sk_X509_push(stack.get(), c);
  }
  return stack;
}

}  // namespace impd::net::test
