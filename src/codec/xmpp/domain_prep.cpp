// Domainpart preparation (RFC 7622 §3.2): IDNA2008 through libidn2, kept as lower-case
// U-labels so that the A-label and U-label spellings of one domain compare equal.
//
// Labels are converted one at a time. That keeps plain ASCII labels away from libidn2
// entirely, and it avoids libidn2's whole-name length limit (a DNS limit) so that the
// RFC 7622 limit of 1023 octets applies to every spelling alike.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <idn2.h>

#include <memory>
#include <vector>

#include "codec/xmpp/jid.h"
#include "codec/xmpp/jid_limits.h"
#include "codec/xmpp/unicode_prep.h"

namespace impd::xmpp {
namespace {

Error malformed(std::string reason) {
  return makeError("jid-malformed", std::move(reason));
}

struct Idn2Free {
  void operator()(char* p) const { idn2_free(p); }
};
using Idn2String = std::unique_ptr<char, Idn2Free>;

bool isLdh(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// Host name rules (RFC 1123 §2.1, RFC 5890 §2.3.1) on the ASCII form of a label.
const char* ldhProblem(std::string_view label) {
  if (label.empty()) return "domainpart has an empty label";
  if (label.size() > detail::kMaxLabelBytes) return "domainpart has a label over 63 bytes";
  if (label.front() == '-' || label.back() == '-') {
    return "domainpart has a label starting or ending with a hyphen";
  }
  for (char c : label) {
    if (!isLdh(c)) return "domainpart contains a character not allowed in a host name";
  }
  return nullptr;
}

bool isALabel(std::string_view lowered) {
  return lowered.starts_with("xn--");
}

Error idnError(int rc) {
  return malformed(fmt::format("domainpart is not a valid IDN ({})", idn2_strerror_name(rc)));
}

// A-label -> U-label. Only the canonical encoding of a valid U-label is accepted, which is
// what makes preparation idempotent: the U-label converts back to exactly this A-label.
Result<std::string> decodeALabel(const std::string& alabel) {
  char* raw = nullptr;
  int rc = idn2_to_unicode_8z8z(alabel.c_str(), &raw, 0);
  Idn2String ulabel(raw);
  if (rc != IDN2_OK) return idnError(rc);
  raw = nullptr;
  rc = idn2_to_ascii_8z(ulabel.get(), &raw, IDN2_NONTRANSITIONAL);
  Idn2String back(raw);
  if (rc != IDN2_OK) return idnError(rc);
  if (alabel != back.get()) return malformed("domainpart has a non-canonical A-label");
  return std::string(ulabel.get());
}

Result<std::string> prepareAsciiLabel(std::string_view label) {
  std::string lowered(label);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (const char* problem = ldhProblem(lowered)) return malformed(problem);
  if (isALabel(lowered)) return decodeALabel(lowered);
  return lowered;
}

Result<std::string> prepareUnicodeLabel(std::string_view label) {
  // libidn2 2.3's STD3 mode silently deletes characters such as '@' and '/' instead of
  // refusing them, so the ASCII characters are checked here and the flag is not used.
  for (char c : label) {
    if (static_cast<unsigned char>(c) < 0x80 && !isLdh(c)) {
      return malformed("domainpart contains a character not allowed in a host name");
    }
  }
  char* raw = nullptr;
  int rc = idn2_to_ascii_8z(std::string(label).c_str(), &raw, IDN2_NONTRANSITIONAL);
  Idn2String ascii(raw);
  if (rc != IDN2_OK) return idnError(rc);
  std::string alabel(ascii.get());
  // UTS #46 mapping can turn a label into plain ASCII (fullwidth letters) or into text with
  // a dot in it (U+2488); the ASCII form must still be a single host name label.
  if (const char* problem = ldhProblem(alabel)) return malformed(problem);
  if (isALabel(alabel)) return decodeALabel(alabel);
  return alabel;
}

// Splits on '.' and on the other label separators of IDNA2008 (U+3002, U+FF0E, U+FF61).
std::vector<std::string_view> splitLabels(std::string_view domain) {
  std::vector<std::string_view> labels;
  std::size_t start = 0;
  for (std::size_t i = 0; i < domain.size();) {
    std::size_t separator = 0;
    if (domain[i] == '.') {
      separator = 1;
    } else {
      std::string_view rest = domain.substr(i);
      if (rest.starts_with("\u3002") || rest.starts_with("\uFF0E") || rest.starts_with("\uFF61")) {
        separator = 3;
      }
    }
    if (separator == 0) {
      ++i;
      continue;
    }
    labels.push_back(domain.substr(start, i - start));
    i += separator;
    start = i;
  }
  labels.push_back(domain.substr(start));
  return labels;
}

Result<std::string> prepareIpLiteral(std::string_view domain) {
  if (domain.size() < 3 || domain.back() != ']') {
    return malformed("domainpart has a malformed IP literal");
  }
  std::string inner(domain.substr(1, domain.size() - 2));
  in6_addr address{};
  if (inner.size() >= INET6_ADDRSTRLEN || inner.find('\0') != std::string::npos ||
      inet_pton(AF_INET6, inner.c_str(), &address) != 1) {
    return malformed("domainpart has a malformed IPv6 literal");
  }
  // The canonical text form (RFC 5952) so that [::1] and [0:0::1] are the same domain.
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &address, text, sizeof text);
  return fmt::format("[{}]", text);
}

}  // namespace

Result<std::string> prepareDomain(std::string_view domain) {
  if (domain.empty()) return malformed("domainpart is empty");
  if (domain.size() > detail::kMaxInputBytes) return malformed("domainpart is too long");
  if (domain.front() == '[') return prepareIpLiteral(domain);
  bool ascii = detail::isAscii(domain);
  if (!ascii && !detail::isValidUtf8(domain)) return malformed("domainpart is not valid UTF-8");

  std::vector<std::string_view> labels = splitLabels(domain);
  // RFC 7622 §3.2: one final label separator is stripped before any use of the domain.
  if (labels.size() > 1 && labels.back().empty()) labels.pop_back();

  std::string out;
  for (std::string_view label : labels) {
    bool asciiLabel = ascii || detail::isAscii(label);
    Result<std::string> prepared =
        asciiLabel ? prepareAsciiLabel(label) : prepareUnicodeLabel(label);
    if (!prepared) return prepared.error();
    if (!out.empty()) out.push_back('.');
    out += *prepared;
  }
  if (out.size() > detail::kMaxPartBytes) {
    return malformed(fmt::format("domainpart is longer than {} bytes", detail::kMaxPartBytes));
  }
  return out;
}

}  // namespace impd::xmpp
