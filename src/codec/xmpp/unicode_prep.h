#pragma once
// The Unicode steps behind the PRECIS profiles (RFC 8264, RFC 8265) that JIDs and SASL
// passwords use. Private to impd_codec_xmpp. These are approximations: the string-class tests
// cover what matters for identity (letters and digits in identifiers, no controls anywhere,
// no compatibility look-alikes in usernames) but skip the contextual rules and the Bidi Rule.
#include <cstddef>
#include <string>
#include <string_view>

namespace impd::xmpp::detail {

bool isAscii(std::string_view s);
// Well-formed UTF-8: no overlong forms, surrogates or code points above U+10FFFF.
bool isValidUtf8(std::string_view s);

// UsernameCaseMapped mapping (RFC 8265 §3.3.2): fullwidth/halfwidth to their decompositions,
// toLowerCase in the root locale, NFC. Input must be valid UTF-8.
std::string mapUsername(std::string_view s);
// OpaqueString mapping (RFC 8265 §4.2.2): non-ASCII spaces to U+0020, NFC. Valid UTF-8 only.
std::string mapOpaque(std::string_view s);

// IdentifierClass (RFC 8264 §4.2) approximation: ASCII printables, letters, digits and
// combining marks; no compatibility-decomposable, ignorable, old Hangul jamo or unassigned.
bool identifierClassAllows(char32_t c);
// FreeformClass (RFC 8264 §4.3) approximation: everything but controls, surrogates and
// unassigned code points.
bool freeformClassAllows(char32_t c);

// Decodes one code point at s[i] (valid UTF-8), advancing i.
char32_t nextCodePoint(std::string_view s, std::size_t& i);

// Returns the first code point of valid UTF-8 `s` for which allowed() is false, or -1.
template <typename Pred>
long firstRefused(std::string_view s, Pred allowed) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = nextCodePoint(s, i);
    if (!allowed(c)) return static_cast<long>(c);
  }
  return -1;
}

}  // namespace impd::xmpp::detail
