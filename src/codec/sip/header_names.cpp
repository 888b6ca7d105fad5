// Header name table (header_names.h).
#include "codec/sip/header_names.h"

#include "codec/sip/grammar.h"

namespace impd::sip {

namespace {

struct Compact {
  char letter;
  std::string_view name;
};

// RFC 3261 §7.3.3 and the extensions that registered a compact form (IANA SIP parameters).
constexpr Compact kCompact[] = {
    {'a', "Accept-Contact"},
    {'b', "Referred-By"},
    {'c', "Content-Type"},
    {'d', "Request-Disposition"},
    {'e', "Content-Encoding"},
    {'f', "From"},
    {'i', "Call-ID"},
    {'j', "Reject-Contact"},
    {'k', "Supported"},
    {'l', "Content-Length"},
    {'m', "Contact"},
    {'n', "Identity-Info"},
    {'o', "Event"},
    {'r', "Refer-To"},
    {'s', "Subject"},
    {'t', "To"},
    {'u', "Allow-Events"},
    {'v', "Via"},
    {'x', "Session-Expires"},
    {'y', "Identity"},
};

// Spelling as the RFCs write them, so messages we print look like everyone else's.
constexpr std::string_view kKnown[] = {
    "Accept",
    "Accept-Contact",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authentication-Info",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Error-Info",
    "Event",
    "Expires",
    "From",
    "Identity",
    "Identity-Info",
    "In-Reply-To",
    "Max-Forwards",
    "MIME-Version",
    "Min-Expires",
    "Min-SE",
    "Organization",
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Path",
    "Priority",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "RAck",
    "Reason",
    "Record-Route",
    "Refer-To",
    "Referred-By",
    "Reject-Contact",
    "Reply-To",
    "Request-Disposition",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "Server",
    "Service-Route",
    "Session-Expires",
    "SIP-ETag",
    "SIP-If-Match",
    "Subject",
    "Subscription-State",
    "Supported",
    "Timestamp",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "Warning",
    "WWW-Authenticate",
    "Content-Transfer-Encoding",
};

constexpr std::string_view kLists[] = {
    "Via",           "Route",           "Record-Route",    "Contact",          "Allow",
    "Supported",     "Require",         "Proxy-Require",   "Unsupported",      "Accept",
    "Allow-Events",  "Accept-Encoding", "Accept-Language", "Content-Encoding", "Path",
    "Service-Route",
};

}  // namespace

std::string canonicalHeaderName(std::string_view name) {
  if (name.size() == 1) {
    char c = grammar::lower(name[0]);
    for (const Compact& compact : kCompact) {
      if (compact.letter == c) return std::string(compact.name);
    }
    return std::string(name);
  }
  for (std::string_view known : kKnown) {
    if (grammar::iequals(known, name)) return std::string(known);
  }
  return std::string(name);
}

bool isListHeader(std::string_view canonicalName) {
  for (std::string_view list : kLists) {
    if (grammar::iequals(list, canonicalName)) return true;
  }
  return false;
}

}  // namespace impd::sip
