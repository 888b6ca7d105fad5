#include "codec/xmpp/jid.h"

namespace impd::xmpp {

Result<Jid> Jid::parse(std::string_view text) {
  // RFC 7622 §3.1: the first '/' starts the resourcepart (which may itself hold '/' and '@'),
  // then the first '@' before it ends the localpart; whatever is left is the domainpart.
  std::string_view rest = text;
  std::string_view resource;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    resource = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (resource.empty()) return makeError("jid-malformed", "resourcepart is empty");
  }
  std::string_view local;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    local = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (local.empty()) return makeError("jid-malformed", "localpart is empty");
  }
  return fromParts(local, rest, resource);
}

Result<Jid> Jid::fromParts(std::string_view local, std::string_view domain,
                           std::string_view resource) {
  Jid jid;
  Result<std::string> preparedDomain = prepareDomain(domain);
  if (!preparedDomain) return preparedDomain.error();
  jid.domain_ = std::move(*preparedDomain);
  if (!local.empty()) {
    Result<std::string> preparedLocal = prepareLocalpart(local);
    if (!preparedLocal) return preparedLocal.error();
    jid.local_ = std::move(*preparedLocal);
  }
  if (!resource.empty()) {
    Result<std::string> preparedResource = prepareResource(resource);
    if (!preparedResource) return preparedResource.error();
    jid.resource_ = std::move(*preparedResource);
  }
  return jid;
}

Jid Jid::bare() const {
  Jid jid;
  jid.local_ = local_;
  jid.domain_ = domain_;
  return jid;
}

Jid Jid::withResource(std::string_view resource) const {
  Jid jid = bare();
  jid.resource_ = std::string(resource);
  return jid;
}

std::string Jid::bareStr() const {
  if (local_.empty()) return domain_;
  std::string out;
  out.reserve(local_.size() + 1 + domain_.size());
  out.append(local_).append(1, '@').append(domain_);
  return out;
}

std::string Jid::str() const {
  std::string out = bareStr();
  if (!resource_.empty()) out.append(1, '/').append(resource_);
  return out;
}

}  // namespace impd::xmpp
