#include "certificate_check.h"

#include <idn2.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>

namespace impd::impctl {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string opensslError() {
  unsigned long code = ERR_get_error();
  char text[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

std::optional<std::string> toALabel(const std::string& domain) {
  char* out = nullptr;
  if (idn2_to_ascii_8z(domain.c_str(), &out, IDN2_NONTRANSITIONAL) != IDN2_OK) return std::nullopt;
  std::string alabel(out);
  idn2_free(out);
  return alabel;
}

std::vector<std::string> sanDnsNames(X509* cert) {
  std::vector<std::string> names;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans == nullptr) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
    if (name->type != GEN_DNS) continue;
    const ASN1_IA5STRING* dns = name->d.dNSName;
    names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                       static_cast<std::size_t>(ASN1_STRING_length(dns)));
  }
  GENERAL_NAMES_free(sans);
  return names;
}

std::string timeText(const ASN1_TIME* t) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || ASN1_TIME_print(bio.get(), t) != 1) return "?";
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

Result<CertificateReport> inspectCertificate(const std::filesystem::path& certificate,
                                             const std::filesystem::path& key,
                                             const std::vector<std::string>& domains) {
  BioPtr certBio(BIO_new_file(certificate.c_str(), "r"));
  if (!certBio) return makeError("item-not-found", certificate.string() + ": " + opensslError());
  // The first certificate of the chain file is the leaf; the rest are intermediates.
  X509Ptr leaf(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
  if (!leaf) {
    return makeError("bad-format",
                     certificate.string() + ": no PEM certificate (" + opensslError() + ")");
  }
  CertificateReport report;
  report.dnsNames = sanDnsNames(leaf.get());
  report.notAfter = timeText(X509_get0_notAfter(leaf.get()));
  report.expired = X509_cmp_current_time(X509_get0_notAfter(leaf.get())) < 0;
  report.notYetValid = X509_cmp_current_time(X509_get0_notBefore(leaf.get())) > 0;
  // SAN only: the subject CN is legacy (RFC 6125) and XMPP peers ignore it.
  const unsigned flags = X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
  for (const std::string& domain : domains) {
    auto alabel = toALabel(domain);
    bool ok =
        alabel && X509_check_host(leaf.get(), alabel->data(), alabel->size(), flags, nullptr) == 1;
    (ok ? report.covered : report.uncovered).push_back(domain);
  }
  if (!key.empty()) {
    BioPtr keyBio(BIO_new_file(key.c_str(), "r"));
    if (!keyBio) return makeError("item-not-found", key.string() + ": " + opensslError());
    KeyPtr pkey(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    if (!pkey)
      return makeError("bad-format",
                       key.string() + ": no PEM private key (" + opensslError() + ")");
    report.keyMatches = X509_check_private_key(leaf.get(), pkey.get()) == 1;
    ERR_clear_error();
  }
  return report;
}

}  // namespace impd::impctl
