// RFC 5922 domain identities of a peer certificate (peer_identity.h).
#include "sip/peer_identity.h"

#include <openssl/x509v3.h>

#include <memory>

#include "codec/sip/uri.h"

namespace impd::sip {

namespace {

struct NamesFree {
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view withoutRootDot(std::string_view name) {
  if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);
  return name;
}

bool sameDomain(std::string_view presented, std::string_view domain) {
  presented = withoutRootDot(presented);
  domain = withoutRootDot(domain);
  // A wildcard is never a SIP domain identity, not even one that would "match" literally.
  if (presented.empty() || presented.find('*') != std::string_view::npos) return false;
  if (presented.size() != domain.size()) return false;
  for (std::size_t i = 0; i < presented.size(); ++i) {
    if (lower(presented[i]) != lower(domain[i])) return false;
  }
  return true;
}

// The bytes of an ASN.1 string, or nothing when they hold a NUL ("good.test\0.evil.test").
std::optional<std::string> asn1Text(const ASN1_STRING* s) {
  if (!s) return std::nullopt;
  std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                   static_cast<std::size_t>(ASN1_STRING_length(s)));
  if (text.find('\0') != std::string::npos) return std::nullopt;
  return text;
}

// RFC 5922 §7.1: only the sip scheme counts, and a URI with a user part names a user, not a
// domain. Parameters and ports do not change the host it names.
std::optional<std::string> sipUriHost(const std::string& text) {
  auto uri = Uri::parse(text);
  if (!uri || uri->scheme() != "sip" || uri->hasUser()) return std::nullopt;
  return std::string(uri->host());
}

void collectCommonNames(X509* cert, std::vector<std::string>& out) {
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
}

}  // namespace

SipIdentities extractIdentities(X509* cert) {
  SipIdentities out;
  if (!cert) return out;
  int critical = -1;
  std::unique_ptr<GENERAL_NAMES, NamesFree> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, &critical, nullptr)));
  out.hasSan = critical != -1;  // -1: absent; anything else: present, even if unusable
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_URI) {
      auto text = asn1Text(gn->d.uniformResourceIdentifier);
      if (auto host = text ? sipUriHost(*text) : std::nullopt) out.uriHosts.push_back(*host);
    } else if (gn->type == GEN_DNS) {
      if (auto text = asn1Text(gn->d.dNSName)) out.dnsNames.push_back(*text);
    }
  }
  if (!out.hasSan) collectCommonNames(cert, out.commonNames);
  return out;
}

std::optional<std::string> matchSipDomain(const SipIdentities& names, std::string_view domain) {
  for (const auto& host : names.uriHosts) {
    if (sameDomain(host, domain)) return "URI:sip:" + host;
  }
  for (const auto& dns : names.dnsNames) {
    if (sameDomain(dns, domain)) return "DNS:" + dns;
  }
  if (!names.hasSan) {
    for (const auto& cn : names.commonNames) {
      if (sameDomain(cn, domain)) return "CN:" + cn;
    }
  }
  return std::nullopt;
}

std::string describe(const SipIdentities& names) {
  std::string out;
  auto add = [&out](std::string_view kind, const std::string& value) {
    out += out.empty() ? "" : ", ";
    out += std::string(kind) + value;
  };
  for (const auto& v : names.uriHosts) add("URI:sip:", v);
  for (const auto& v : names.dnsNames) add("DNS:", v);
  for (const auto& v : names.commonNames) add("CN:", v);
  return out.empty() ? "nothing usable" : out;
}

bool certifies(const PeerCertificate& certificate, std::string_view domain) {
  return certificate.presented && certificate.trusted &&
         matchSipDomain(certificate.names, domain).has_value();
}

}  // namespace impd::sip
