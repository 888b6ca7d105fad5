#pragma once
// JIDs per RFC 7622: localpart through the PRECIS UsernameCaseMapped profile (width mapping,
// Unicode toLowerCase as RFC 8265 §3.3.2 prescribes, NFC), domainpart as an IDNA2008 domain
// kept in its U-label form and lower-cased (an A-label input is converted to U-labels),
// resourcepart through OpaqueString (non-ASCII spaces to U+0020, NFC).
// Two JIDs are equal when their prepared forms are equal.
#include <string>
#include <string_view>

#include "base/result.h"

namespace impd::xmpp {

class Jid {
 public:
  Jid() = default;
  // Parses and prepares; Error condition "jid-malformed" with a reason on failure.
  static Result<Jid> parse(std::string_view text);
  // Builds from already-split parts (each is prepared; same errors as parse()).
  static Result<Jid> fromParts(std::string_view local, std::string_view domain,
                               std::string_view resource = {});

  const std::string& local() const { return local_; }
  const std::string& domain() const { return domain_; }
  const std::string& resource() const { return resource_; }
  bool isBare() const { return resource_.empty(); }
  bool isDomain() const { return local_.empty() && resource_.empty(); }
  bool empty() const { return domain_.empty(); }

  Jid bare() const;
  Jid withResource(std::string_view resource) const;  // resource must already be prepared
  std::string str() const;       // full form
  std::string bareStr() const;   // local@domain or domain

  friend bool operator==(const Jid&, const Jid&) = default;
  friend auto operator<=>(const Jid&, const Jid&) = default;

 private:
  std::string local_, domain_, resource_;
};

// Prepares a localpart alone; also the rule for SASL usernames (PLAIN authcid, SCRAM n=).
Result<std::string> prepareLocalpart(std::string_view local);
// Prepares a domain name alone (IDNA2008 -> U-label, lower case). "jid-malformed" on failure.
Result<std::string> prepareDomain(std::string_view domain);
// Prepares a resourcepart alone.
Result<std::string> prepareResource(std::string_view resource);

}  // namespace impd::xmpp

template <>
struct std::hash<impd::xmpp::Jid> {
  std::size_t operator()(const impd::xmpp::Jid& j) const noexcept {
    return std::hash<std::string>{}(j.str());
  }
};
