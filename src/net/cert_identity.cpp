#include "net/cert_identity.h"

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <memory>
#include <vector>

namespace impd::net {

namespace {

constexpr std::string_view kOidXmppAddr = "1.3.6.1.5.5.7.8.5";
constexpr std::string_view kOidSrvName = "1.3.6.1.5.5.7.8.7";

struct Presented {
  IdentityKind kind;
  std::string value;
};

struct NamesFree {
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
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

// RFC 6125 §6.4: exact (case-insensitive) match, or `*` as the complete left-most label
// standing for exactly one label. No partial wildcards (`f*.example.com`) and none over a
// single remaining label (`*.com`).
bool dnsNameMatches(std::string_view presented, std::string_view reference) {
  presented = withoutRootDot(presented);
  reference = withoutRootDot(reference);
  if (presented.empty() || reference.empty()) return false;
  if (presented.starts_with("*.")) {
    const auto rest = presented.substr(2);
    if (rest.find('.') == std::string_view::npos || rest.find('*') != std::string_view::npos) {
      return false;
    }
    const auto dot = reference.find('.');
    if (dot == 0 || dot == std::string_view::npos) return false;
    return equalsIgnoreCase(rest, reference.substr(dot + 1));
  }
  if (presented.find('*') != std::string_view::npos) return false;
  return equalsIgnoreCase(presented, reference);
}

// The bytes of an ASN.1 string, or nothing when they hold a NUL (a classic way to make
// "good.example\0.evil.example" pass a C-string comparison).
std::optional<std::string> asn1Text(const ASN1_STRING* s) {
  if (!s) return std::nullopt;
  std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                   static_cast<std::size_t>(ASN1_STRING_length(s)));
  if (text.find('\0') != std::string::npos) return std::nullopt;
  return text;
}

std::string oidText(const ASN1_OBJECT* oid) {
  char buf[80];
  const int n = OBJ_obj2txt(buf, sizeof buf, oid, 1);
  return n > 0 && static_cast<std::size_t>(n) < sizeof buf ? std::string(buf, n) : std::string();
}

void collectOtherName(const OTHERNAME* other, std::vector<Presented>& out) {
  if (!other || !other->type_id || !other->value) return;
  const auto oid = oidText(other->type_id);
  const ASN1_TYPE* v = other->value;
  if (oid == kOidXmppAddr && v->type == V_ASN1_UTF8STRING) {
    if (auto text = asn1Text(v->value.utf8string)) out.push_back({IdentityKind::kXmppAddr, *text});
  } else if (oid == kOidSrvName && v->type == V_ASN1_IA5STRING) {
    if (auto text = asn1Text(v->value.ia5string)) out.push_back({IdentityKind::kSrvId, *text});
  }
}

// Every identity the certificate presents; `hasSan` tells whether a subjectAltName
// extension exists at all (which rules out the CN fall-back even when it is unusable).
std::vector<Presented> collect(X509* cert, bool& hasSan) {
  std::vector<Presented> out;
  int critical = -1;
  std::unique_ptr<GENERAL_NAMES, NamesFree> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, &critical, nullptr)));
  hasSan = critical != -1;  // -1: absent; -2: repeated; 0/1: present (parsed or not)
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_OTHERNAME) {
      collectOtherName(gn->d.otherName, out);
    } else if (gn->type == GEN_DNS) {
      if (auto text = asn1Text(gn->d.dNSName)) out.push_back({IdentityKind::kDnsId, *text});
    }
  }
  if (hasSan) return out;
  const X509_NAME* subject = X509_get_subject_name(cert);
  for (int i = -1; (i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) >= 0;) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n < 0) continue;
    std::string text(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
    if (text.find('\0') == std::string::npos) out.push_back({IdentityKind::kCommonName, text});
  }
  return out;
}

bool matches(const Presented& p, std::string_view domain, std::string_view ascii,
             std::string_view service) {
  switch (p.kind) {
    case IdentityKind::kXmppAddr:  // no wildcards in xmppAddr (RFC 6120 §13.7.1.4)
      return equalsIgnoreCase(withoutRootDot(p.value), withoutRootDot(domain));
    case IdentityKind::kSrvId: {
      std::string_view v = p.value;
      if (v.size() < service.size() + 2 || v[0] != '_' || v[service.size() + 1] != '.' ||
          !equalsIgnoreCase(v.substr(1, service.size()), service)) {
        return false;
      }
      return dnsNameMatches(v.substr(service.size() + 2), ascii);
    }
    case IdentityKind::kDnsId:
    case IdentityKind::kCommonName:
      return dnsNameMatches(p.value, ascii);
  }
  return false;
}

std::string subjectText(X509* cert) {
  if (!cert) return "?";
  char* raw = X509_NAME_oneline(X509_get_subject_name(cert), nullptr, 0);
  std::string text = raw ? raw : "?";
  OPENSSL_free(raw);
  return text;
}

}  // namespace

std::string_view identityKindName(IdentityKind kind) {
  switch (kind) {
    case IdentityKind::kXmppAddr:
      return "xmppAddr";
    case IdentityKind::kSrvId:
      return "SRV-ID";
    case IdentityKind::kDnsId:
      return "DNS-ID";
    case IdentityKind::kCommonName:
      return "CN";
  }
  return "?";
}

Result<IdentityMatch> matchServiceIdentity(X509* cert, std::string_view domain,
                                           const IdentityOptions& options) {
  if (!cert) return makeError(std::string(kCertIdentityMismatch), "no peer certificate");
  bool hasSan = false;
  const auto presented = collect(cert, hasSan);
  const auto ascii = options.asciiDomain.empty() ? domain : options.asciiDomain;
  for (auto kind : {IdentityKind::kXmppAddr, IdentityKind::kSrvId, IdentityKind::kDnsId,
                    IdentityKind::kCommonName}) {
    if (kind == IdentityKind::kCommonName && !options.commonNameFallback) break;
    for (const auto& p : presented) {
      if (p.kind == kind && matches(p, domain, ascii, options.service)) {
        return IdentityMatch{p.kind, p.value};
      }
    }
  }
  std::string names;
  for (const auto& p : presented) {
    if (p.kind == IdentityKind::kCommonName && !options.commonNameFallback) continue;
    names += names.empty() ? "" : ", ";
    names += std::string(identityKindName(p.kind)) + ":" + p.value;
  }
  return makeError(std::string(kCertIdentityMismatch),
                   "certificate does not name " + std::string(domain) + " (it names " +
                       (names.empty() ? std::string("nothing usable") : names) + ")");
}

int acceptServerAuthClient(int preverified, X509_STORE_CTX* ctx) {
  if (preverified) return 1;
  if (X509_STORE_CTX_get_error(ctx) != X509_V_ERR_INVALID_PURPOSE) return 0;
  X509* cert = X509_STORE_CTX_get_current_cert(ctx);
  if (!cert) return 0;
  const bool ca = X509_STORE_CTX_get_error_depth(ctx) > 0;
  const int fit = X509_check_purpose(cert, X509_PURPOSE_SSL_SERVER, ca ? 1 : 0);
  if (ca ? fit <= 0 : fit != 1) return 0;
  X509_STORE_CTX_set_error(ctx, X509_V_OK);  // so SSL_get_verify_result() reports success
  return 1;
}

Result<void> verifyChain(X509* leaf, STACK_OF(X509) * chain, X509_STORE* trust, PeerRole role,
                         std::optional<std::time_t> at) {
  if (!leaf) return makeError(std::string(kCertUntrusted), "no peer certificate");
  if (!trust) return makeError(std::string(kCertUntrusted), "no trust anchors configured");
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), trust, leaf, chain) != 1) {
    return makeError(std::string(kCertUntrusted), "cannot set up certificate verification");
  }
  // The same parameters libssl uses for each side of a handshake.
  const bool asClient = role == PeerRole::kClient;
  X509_STORE_CTX_set_default(ctx.get(), asClient ? "ssl_client" : "ssl_server");
  if (asClient) X509_STORE_CTX_set_verify_cb(ctx.get(), &acceptServerAuthClient);
  if (at) X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), *at);
  const int ok = X509_verify_cert(ctx.get());
  const int error = X509_STORE_CTX_get_error(ctx.get());
  if (ok == 1 && error == X509_V_OK) return {};
  const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  return makeError(std::string(kCertUntrusted),
                   std::string(X509_verify_cert_error_string(error)) + " (depth " +
                       std::to_string(depth) + ", " +
                       subjectText(X509_STORE_CTX_get_current_cert(ctx.get())) + ")");
}

}  // namespace impd::net
