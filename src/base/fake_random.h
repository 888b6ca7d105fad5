#pragma once
// A predictable Random for tests and fuzz targets: bytes 0, 1, 2, ... so nonces and ids can be
// reproduced (the companion of FakeClock).
#include <cstddef>

#include "base/random.h"

namespace impd {

class CountingRandom final : public Random {
 public:
  void fill(void* out, std::size_t n) override {
    auto* bytes = static_cast<unsigned char*>(out);
    for (std::size_t i = 0; i < n; ++i) bytes[i] = next_++;
  }

 private:
  unsigned char next_ = 0;
};

}  // namespace impd
