#include "net/cert_names.h"

namespace impd::net {

namespace {
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

GeneralNames subjectAltNames(X509* cert, bool& present) {
  int critical = -1;
  GeneralNames names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, &critical, nullptr)));
  present = critical != -1;  // -1: absent; -2: repeated; 0/1: present (parsed or not)
  return names;
}

std::optional<std::string> asn1Text(const ASN1_STRING* s) {
  if (!s) return std::nullopt;
  std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                   static_cast<std::size_t>(ASN1_STRING_length(s)));
  if (text.find('\0') != std::string::npos) return std::nullopt;
  return text;
}

std::vector<std::string> subjectCommonNames(X509* cert) {
  std::vector<std::string> out;
  const X509_NAME* subject = X509_get_subject_name(cert);
  for (int i = -1; (i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) >= 0;) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n < 0) continue;
    std::string text(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
    if (text.find('\0') == std::string::npos) out.push_back(std::move(text));
  }
  return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view withoutRootDot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

}  // namespace impd::net
