#pragma once
// Escaping that appends to an existing buffer, for writers that must not allocate per value.
#include <string>
#include <string_view>

namespace impd::xml {

// Both replace what XML 1.0 cannot carry at all (invalid UTF-8, C0 controls other than tab,
// LF and CR, U+FFFE, U+FFFF) by U+FFFD, so the output is always well-formed.
// Text escapes & < > and CR (a raw CR would be normalised to LF by the reader).
void appendEscapedText(std::string& out, std::string_view s);
// Attribute values also escape both quotes and tab/LF/CR, which attribute-value normalisation
// would otherwise turn into spaces.
void appendEscapedAttr(std::string& out, std::string_view s);

// Length of the XML character encoded at the start of s, or 0 when those bytes are not a
// character XML 1.0 allows (invalid or overlong UTF-8, surrogates, U+FFFE/U+FFFF, C0 controls).
std::size_t xmlCharLength(std::string_view s);

}  // namespace impd::xml
