#include "net/cert_identity.h"

#include "net/cert_names.h"

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

struct StoreCtxFree {
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};

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
  GeneralNames names = subjectAltNames(cert, hasSan);
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_OTHERNAME) {
      collectOtherName(gn->d.otherName, out);
    } else if (gn->type == GEN_DNS) {
      if (auto text = asn1Text(gn->d.dNSName)) out.push_back({IdentityKind::kDnsId, *text});
    }
  }
  if (hasSan) return out;
  for (auto& cn : subjectCommonNames(cert)) out.push_back({IdentityKind::kCommonName, std::move(cn)});
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
