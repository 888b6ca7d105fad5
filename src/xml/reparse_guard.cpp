#include "xml/reparse_guard.h"

namespace impd::xml::detail {
namespace {

bool isAsciiNameChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == ':';
}

}  // namespace

bool TokenEndScanner::begin(std::string_view pending) {
  quote_ = 0;
  prev1_ = 0;
  prev2_ = 0;
  std::string_view rest = pending;
  if (pending.starts_with("<!--")) {
    kind_ = Kind::kComment;
    rest.remove_prefix(4);  // so the opening "--" cannot pair with a '>' as "-->"
  } else if (pending.starts_with("<?")) {
    kind_ = Kind::kPi;
    rest.remove_prefix(2);
  } else if (pending.starts_with("<")) {
    kind_ = Kind::kTag;
    rest.remove_prefix(1);
  } else if (pending.starts_with("&")) {
    kind_ = Kind::kRef;
  } else if (pending.starts_with("\"") || pending.starts_with("'")) {
    kind_ = Kind::kLiteral;
    quote_ = pending.front();
    rest.remove_prefix(1);
  } else {
    kind_ = Kind::kOther;
  }
  return !mayEnd(rest);
}

bool TokenEndScanner::mayEnd(std::string_view bytes) {
  for (char c : bytes) {
    switch (kind_) {
      case Kind::kTag:
        // Quotes only delimit attribute values in a tag; inside one, only its own quote ends
        // it, and a '>' there is data.
        if (quote_ != 0) {
          if (c == quote_) quote_ = 0;
        } else if (c == '"' || c == '\'') {
          quote_ = c;
        } else if (c == '>') {
          return true;
        }
        break;
      case Kind::kComment:
        if (c == '>' && prev1_ == '-' && prev2_ == '-') return true;
        break;
      case Kind::kPi:
        if (c == '>' && prev1_ == '?') return true;
        break;
      case Kind::kRef:
        if (c == ';') return true;
        break;
      case Kind::kLiteral:
        if (c == quote_) return true;
        break;
      case Kind::kOther:
        if (!isAsciiNameChar(static_cast<unsigned char>(c)) &&
            static_cast<unsigned char>(c) < 0x80) {
          return true;
        }
        break;
    }
    prev2_ = prev1_;
    prev1_ = c;
  }
  return false;
}

}  // namespace impd::xml::detail
