// Branch parameter generation (headers.h).
#include "codec/sip/headers.h"

namespace impd::sip {

std::string newBranch(Random& random) {
  // 16 random bytes give 96 bits of token alphabet (6 bits each): unique enough for a
  // transaction id, which RFC 3261 §8.1.1.7 asks to be unique across space and time.
  return std::string(kBranchCookie) + random.token(16);
}

}  // namespace impd::sip
