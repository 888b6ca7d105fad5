// JID <-> SIP URI mapping (address_map.h).
#include "gateway/address_map.h"

#include <idn2.h>

#include <memory>

#include "gateway/text_util.h"

namespace impd::gateway {
namespace {

Error malformed(std::string message) {
  return makeError("jid-malformed", std::move(message));
}

struct Idn2Free {
  void operator()(char* p) const { idn2_free(p); }
};

bool isAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// One label to its A-label; ASCII labels are already in their SIP form (the JID codec
// lower-cased them and turned A-labels into U-labels, which we undo here).
Result<std::string> aLabel(std::string_view label) {
  if (isAscii(label)) return std::string(label);
  char* raw = nullptr;
  const int rc = idn2_to_ascii_8z(std::string(label).c_str(), &raw, IDN2_NONTRANSITIONAL);
  std::unique_ptr<char, Idn2Free> out(raw);
  if (rc != IDN2_OK) {
    return malformed(std::string("domain label is not a valid IDN: ") + idn2_strerror_name(rc));
  }
  return std::string(out.get());
}

}  // namespace

Result<sip::Uri> aorForJid(const xmpp::Jid& jid) {
  auto host = sipHostForDomain(jid.domain());
  if (!host) return host.error();
  auto uri = sip::Uri::parse("sip:" + *host);
  if (!uri) return malformed("domain is not a SIP host: " + uri.error().message);
  uri->setUser(jid.local());
  return std::move(*uri);
}

int sipStatusForUnmappable(AddressRole role) {
  return role == AddressRole::target ? 404 : 400;
}

Result<std::string> sipHostForDomain(std::string_view domain) {
  if (domain.empty()) return malformed("empty domain");
  if (domain.front() == '[' || isAscii(domain)) return std::string(domain);
  std::string out;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    auto label = aLabel(domain.substr(start, dot - start));
    if (!label) return label.error();
    if (!out.empty()) out.push_back('.');
    out += *label;
    start = dot + 1;
  }
  return out;
}

Result<sip::Uri> gruuForJid(const xmpp::Jid& jid) {
  auto uri = aorForJid(jid);
  if (uri && !jid.resource().empty()) uri->setParam("gr", jid.resource());
  return uri;
}

Result<std::string> presEntityForJid(const xmpp::Jid& jid) {
  // Spelled from the AoR: pres: takes the same user@host with the same escaping.
  auto aor = aorForJid(jid);
  if (!aor) return aor.error();
  return "pres:" + aor->str().substr(aor->scheme().size() + 1);
}

Result<sip::NameAddr> nameAddrForJid(const xmpp::Jid& jid, std::string_view displayName) {
  auto uri = aorForJid(jid);
  if (!uri) return uri.error();
  sip::NameAddr address(std::move(*uri));
  if (!displayName.empty()) address.setDisplayName(std::string(displayName), /*quoted=*/true);
  return address;
}

Result<xmpp::Jid> jidForSipUri(const sip::Uri& uri) {
  if (uri.empty() || uri.kind() == sip::Uri::Kind::opaque) {
    return malformed("not a sip:, sips:, pres: or im: URI");
  }
  if (auto user = uri.param("user"); user && iequals(*user, "phone")) {
    return malformed("a telephone number is not a JID");
  }
  std::string host(uri.host());
  if (host.empty()) return malformed("URI without host");
  auto jid = xmpp::Jid::fromParts(uri.hasUser() ? uri.user() : std::string(), host);
  if (!jid) return malformed("SIP address has no JID form: " + jid.error().message);
  return std::move(*jid);
}

Result<xmpp::Jid> fullJidForSipUri(const sip::Uri& uri) {
  auto bare = jidForSipUri(uri);
  if (!bare) return bare;
  auto gr = uri.param("gr");
  if (!gr || gr->empty()) return bare;
  auto resource = xmpp::prepareResource(*gr);
  if (!resource) return malformed("GRUU id is not a valid resourcepart");
  return bare->withResource(*resource);
}

Result<xmpp::Jid> jidForSipAddress(std::string_view nameAddrOrUri) {
  auto address = sip::NameAddr::parse(nameAddrOrUri);
  if (!address) return malformed("unparsable SIP address: " + address.error().message);
  return jidForSipUri(address->uri());
}

Result<RequestParties> partiesOf(const sip::Message& request) {
  auto sender = jidForSipAddress(request.get("From").value_or(""));
  if (!sender) return makeError("jid-malformed", "From: " + sender.error().message);
  auto requestUri = sip::Uri::parse(request.requestUri());
  Result<xmpp::Jid> target = makeError("item-not-found", "no target");
  if (requestUri && requestUri->hasUser()) {
    target = jidForSipUri(*requestUri);
  } else {
    target = jidForSipAddress(request.get("To").value_or(""));
  }
  if (!target) return makeError("item-not-found", "target: " + target.error().message);
  return RequestParties{std::move(*sender), std::move(*target)};
}

}  // namespace impd::gateway
