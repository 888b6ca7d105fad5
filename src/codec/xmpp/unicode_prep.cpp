#include "codec/xmpp/unicode_prep.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstdlib>
#include <limits>

namespace impd::xmpp::detail {
namespace {

using NormalizerGetter = const icu::Normalizer2* (*)(UErrorCode&);

const icu::Normalizer2& loadNormalizer(NormalizerGetter get) {
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* n = get(ec);
  // ICU's normalization data ships inside libicuuc; without it the installation is broken and
  // no identifier could be compared safely, so there is nothing sensible to continue with.
  if (U_FAILURE(ec) || n == nullptr) std::abort();
  return *n;
}

const icu::Normalizer2& nfc() {
  static const icu::Normalizer2& n = loadNormalizer(&icu::Normalizer2::getNFCInstance);
  return n;
}
const icu::Normalizer2& nfkc() {
  static const icu::Normalizer2& n = loadNormalizer(&icu::Normalizer2::getNFKCInstance);
  return n;
}
const icu::Normalizer2& nfkd() {
  static const icu::Normalizer2& n = loadNormalizer(&icu::Normalizer2::getNFKDInstance);
  return n;
}

icu::UnicodeString fromUtf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
}

std::string toNfcUtf8(const icu::UnicodeString& u) {
  UErrorCode ec = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc().normalize(u, ec);
  // Only allocation failure makes normalize() fail on valid input.
  if (U_FAILURE(ec)) std::abort();
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

bool hasCompatibilityMapping(char32_t c) {
  UErrorCode ec = U_ZERO_ERROR;
  bool stable = nfkc().isNormalized(icu::UnicodeString(static_cast<UChar32>(c)), ec);
  return U_FAILURE(ec) || !stable;
}

}  // namespace

bool isAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool isValidUtf8(std::string_view s) {
  if (s.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) return false;
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  auto length = static_cast<std::int32_t>(s.size());
  for (std::int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(p, i, length, c);  // ICU's checked decoder: negative for any ill-formed sequence
    if (c < 0) return false;
  }
  return true;
}

char32_t nextCodePoint(std::string_view s, std::size_t& i) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  auto at = static_cast<std::int32_t>(i);
  UChar32 c;
  U8_NEXT(p, at, static_cast<std::int32_t>(s.size()), c);
  i = static_cast<std::size_t>(at);
  return c < 0 ? U'\uFFFD' : static_cast<char32_t>(c);
}

std::string mapUsername(std::string_view s) {
  icu::UnicodeString in = fromUtf8(s);
  icu::UnicodeString mapped;
  for (std::int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    auto type = u_getIntPropertyValue(c, UCHAR_DECOMPOSITION_TYPE);
    icu::UnicodeString decomposition;
    if ((type == U_DT_WIDE || type == U_DT_NARROW) &&
        nfkd().getRawDecomposition(c, decomposition)) {
      mapped += decomposition;
    } else {
      mapped.append(c);
    }
  }
  // The root locale: a server-wide identity must not depend on the host's locale (Turkish
  // dotless i would otherwise make two installations disagree about who is who).
  mapped.toLower(icu::Locale::getRoot());
  return toNfcUtf8(mapped);
}

std::string mapOpaque(std::string_view s) {
  icu::UnicodeString in = fromUtf8(s);
  icu::UnicodeString mapped;
  for (std::int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    mapped.append(u_charType(c) == U_SPACE_SEPARATOR ? UChar32{0x20} : c);
  }
  return toNfcUtf8(mapped);
}

bool identifierClassAllows(char32_t c) {
  if (c < 0x80) return c >= 0x21 && c <= 0x7E;
  auto cp = static_cast<UChar32>(c);
  if (u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return false;
  auto hangul = u_getIntPropertyValue(cp, UCHAR_HANGUL_SYLLABLE_TYPE);
  if (hangul == U_HST_LEADING_JAMO || hangul == U_HST_VOWEL_JAMO || hangul == U_HST_TRAILING_JAMO) {
    return false;
  }
  switch (u_charType(cp)) {
    case U_LOWERCASE_LETTER:
    case U_UPPERCASE_LETTER:
    case U_OTHER_LETTER:
    case U_MODIFIER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
      break;
    default:
      return false;
  }
  return !hasCompatibilityMapping(c);
}

bool freeformClassAllows(char32_t c) {
  if (c < 0x80) return c >= 0x20 && c != 0x7F;
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_CONTROL_CHAR:
    case U_SURROGATE:
    case U_UNASSIGNED:
      return false;
    default:
      return true;
  }
}

}  // namespace impd::xmpp::detail
