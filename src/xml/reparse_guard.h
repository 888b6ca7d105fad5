#pragma once
// Internal to impd_xml. Expat 2.5 rescans an incomplete token from its first byte on every
// parse call, so a peer trickling a large start tag a byte at a time costs CPU quadratic in
// the tag's size (a 64 KiB tag fed bytewise takes seconds). Later expat versions defer
// reparsing by size alone, which can stall an interactive stream until more bytes happen to
// arrive. TokenEndScanner instead looks at each new byte once and tells whether it could end
// the pending token; until one could, the stream parser holds bytes back from expat.
#include <cstdint>
#include <string_view>

namespace impd::xml::detail {

class TokenEndScanner {
 public:
  // Starts watching an incomplete token (the bytes expat holds). Returns false when those
  // bytes already contain a possible end, in which case holding back would gain nothing.
  bool begin(std::string_view pending);
  // Whether bytes, which follow everything seen so far, may complete the token. It may answer
  // true for a byte that turns out not to end the token (that costs one rescan), never false
  // for one that does (that would stall the stream).
  bool mayEnd(std::string_view bytes);

 private:
  enum class Kind : std::uint8_t {
    kTag,      // start, end or empty-element tag: '>' outside a quoted attribute value
    kComment,  // "-->"
    kPi,       // "?>" (also the XML declaration)
    kRef,      // entity or character reference: ';'
    kLiteral,  // quoted literal in a DOCTYPE: the same quote again
    kOther,    // names and the like in the prolog: anything that is not a name character
  };

  Kind kind_ = Kind::kOther;
  char quote_ = 0;  // the open quote (kTag, kLiteral)
  char prev1_ = 0;  // the byte before the current one
  char prev2_ = 0;  // and the one before that
};

}  // namespace impd::xml::detail
