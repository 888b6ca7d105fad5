// Request dispositions and capability headers (capabilities.h).
#include "sip/capabilities.h"

#include <algorithm>
#include <array>

#include "codec/sip/uri.h"

namespace impd::sip {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += out.empty() ? "" : ", ";
    out += item;
  }
  return out;
}

// Option tags are tokens; like most SIP tokens they compare case-insensitively.
bool sameTag(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return low(x) == low(y);
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool Capabilities::handles(std::string_view method) const { return contains(handled, method); }

std::vector<std::string> Capabilities::allowed() const {
  std::vector<std::string> out;
  // Canonical order, so the header reads the same whatever order the handler registered in.
  for (const auto& m : kGatewayMethods) {
    const bool viaInvite = (m == "ACK" || m == "CANCEL") && handles("INVITE");
    if (handles(m) || m == "OPTIONS" || viaInvite) out.push_back(m);
  }
  for (const auto& m : handled) {
    if (!contains(out, m)) out.push_back(m);
  }
  return out;
}

std::string Capabilities::allowHeader() const { return joined(allowed()); }

bool isKnownMethod(std::string_view method) {
  // RFC 3261, 3262 (PRACK), 3265/6665, 3311 (UPDATE), 3428, 3515 (REFER), 3903 (PUBLISH),
  // 6086 (INFO); COMPAT: Lync/OCS send SERVICE and BENOTIFY (MS-SIPRE).
  static constexpr std::array<std::string_view, 16> kKnown = {
      "INVITE", "ACK",     "BYE",    "CANCEL",  "OPTIONS", "REGISTER", "PRACK",   "SUBSCRIBE",
      "NOTIFY", "PUBLISH", "INFO",   "REFER",   "MESSAGE", "UPDATE",   "SERVICE", "BENOTIFY"};
  return std::find(kKnown.begin(), kKnown.end(), method) != kKnown.end();
}

std::vector<std::string> unsupportedRequirements(const Message& request, const Capabilities& caps) {
  std::vector<std::string> out;
  for (const auto value : request.getAll("Require")) {
    // Require is a list header; a value may still hold several tags when written oddly.
    std::size_t start = 0;
    while (start <= value.size()) {
      const auto comma = value.find(',', start);
      const auto tag = trim(value.substr(start, comma == std::string_view::npos ? comma : comma - start));
      const bool known = std::any_of(caps.supported.begin(), caps.supported.end(),
                                     [&](const auto& s) { return sameTag(s, tag); });
      if (!tag.empty() && !known && !contains(out, tag)) out.emplace_back(tag);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

Disposition dispose(const Message& request, const Capabilities& caps) {
  const std::string& method = request.method();
  if (method == "ACK") return caps.handles("ACK") ? Disposition::kHandler : Disposition::kAck;
  // CANCEL is hop-by-hop and never carries Require (§9.2, §8.2.2.3 exempts it too).
  if (method != "CANCEL" && !unsupportedRequirements(request, caps).empty()) {
    return Disposition::kBadExtension;
  }
  if (method == "OPTIONS") {
    auto uri = Uri::parse(request.requestUri());
    const bool toUser = uri && uri->hasUser();
    return toUser && caps.handles("OPTIONS") ? Disposition::kHandler : Disposition::kOptions;
  }
  if (caps.handles(method)) return Disposition::kHandler;
  return isKnownMethod(method) ? Disposition::kMethodNotAllowed : Disposition::kNotImplemented;
}

void describeCapabilities(Message& response, const Capabilities& caps) {
  response.add("Allow", caps.allowHeader());
  if (response.status() == 200) {
    response.add("Accept", joined(caps.accept));
    response.add("Accept-Encoding", "identity");
    response.add("Supported", joined(caps.supported));
  }
}

}  // namespace impd::sip
