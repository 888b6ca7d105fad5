// RFC 5922 domain identities of a peer certificate (peer_identity.h).
#include "sip/peer_identity.h"

#include <openssl/x509v3.h>


#include "codec/sip/uri.h"
#include "net/cert_names.h"

namespace impd::sip {

namespace {

bool sameDomain(std::string_view presented, std::string_view domain) {
  presented = net::withoutRootDot(presented);
  // A wildcard is never a SIP domain identity, not even one that would "match" literally.
  if (presented.empty() || presented.find('*') != std::string_view::npos) return false;
  return net::equalsIgnoreCase(presented, net::withoutRootDot(domain));
}

// RFC 5922 §7.1: only the sip scheme counts, and a URI with a user part names a user, not a
// domain. Parameters and ports do not change the host it names.
std::optional<std::string> sipUriHost(const std::string& text) {
  auto uri = Uri::parse(text);
  if (!uri || uri->scheme() != "sip" || uri->hasUser()) return std::nullopt;
  return std::string(uri->host());
}

}  // namespace

SipIdentities extractIdentities(X509* cert) {
  SipIdentities out;
  if (!cert) return out;
  net::GeneralNames names = net::subjectAltNames(cert, out.hasSan);
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_URI) {
      auto text = net::asn1Text(gn->d.uniformResourceIdentifier);
      if (auto host = text ? sipUriHost(*text) : std::nullopt) out.uriHosts.push_back(*host);
    } else if (gn->type == GEN_DNS) {
      if (auto text = net::asn1Text(gn->d.dNSName)) out.dnsNames.push_back(*text);
    }
  }
  if (!out.hasSan) out.commonNames = net::subjectCommonNames(cert);
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
