// URI equivalence of RFC 3261 §19.1.4 (uri.h).
#include <algorithm>

#include "codec/sip/grammar.h"
#include "codec/sip/host.h"
#include "codec/sip/uri.h"

namespace impd::sip {

namespace {

std::string decoded(std::string_view raw) {
  auto d = grammar::percentDecode(raw, [](char) { return true; });
  return d ? std::move(*d) : std::string(raw);
}

const UriField* findField(const std::vector<UriField>& fields, std::string_view name) {
  for (const UriField& f : fields) {
    if (grammar::iequals(f.name, name)) return &f;
  }
  return nullptr;
}

// These parameters change what the URI addresses, so one side having them and the other not
// makes the URIs differ (§19.1.4, fourth bullet).
bool isSignificantParam(std::string_view name) {
  for (std::string_view p : {"user", "ttl", "method", "maddr", "transport"}) {
    if (grammar::iequals(name, p)) return true;
  }
  return false;
}

bool fieldValuesEqual(const UriField& a, const UriField& b) {
  // Parameter values compare case-insensitively: the RFC's own example equates
  // "transport=TCP" with "Transport=tcp".
  return a.hasValue == b.hasValue && grammar::iequals(a.value, b.value);
}

bool paramsEquivalent(const Uri& a, const Uri& b) {
  for (const UriField& p : a.params()) {
    // A repeated parameter counts once, by its first value, on both sides.
    if (findField(a.params(), p.name) != &p) continue;
    const UriField* q = findField(b.params(), p.name);
    if (!q) {
      if (isSignificantParam(p.name)) return false;
      continue;
    }
    if (!fieldValuesEqual(p, *q)) return false;
  }
  for (const UriField& q : b.params()) {
    if (isSignificantParam(q.name) && !findField(a.params(), q.name)) return false;
  }
  return true;
}

bool headersEquivalent(const Uri& a, const Uri& b) {
  if (a.headers().size() != b.headers().size()) return false;
  for (const UriField& h : a.headers()) {
    // Header values compare case-sensitively (only names are case-insensitive).
    auto match = std::find_if(b.headers().begin(), b.headers().end(), [&](const UriField& k) {
      return grammar::iequals(h.name, k.name) && h.value == k.value;
    });
    if (match == b.headers().end()) return false;
  }
  for (const UriField& k : b.headers()) {
    auto match = std::find_if(a.headers().begin(), a.headers().end(), [&](const UriField& h) {
      return grammar::iequals(h.name, k.name) && h.value == k.value;
    });
    if (match == a.headers().end()) return false;
  }
  return true;
}

}  // namespace

bool equivalent(const Uri& a, const Uri& b) {
  if (a.scheme() != b.scheme() || a.kind() != b.kind()) return false;
  if (a.kind() == Uri::Kind::opaque) return a.opaque() == b.opaque();
  if (a.hasUser() != b.hasUser() || decoded(a.userRaw()) != decoded(b.userRaw())) return false;
  if (decoded(a.password()) != decoded(b.password())) return false;
  if (!host::hostsEqual(a.host(), b.host())) return false;
  if (a.port() != b.port()) return false;
  if (a.kind() != Uri::Kind::sip) return true;
  return paramsEquivalent(a, b) && headersEquivalent(a, b);
}

}  // namespace impd::sip
