#pragma once
// Randomness is injected for the same reason as time. The default draws from OpenSSL's CSPRNG
// because nonces, stream ids and salts must be unpredictable.
#include <cstddef>
#include <string>

namespace impd {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(void* out, std::size_t n) = 0;
  // n random bytes as URL-safe base64-ish text (A-Za-z0-9-_), for ids and nonces.
  std::string token(std::size_t bytes = 12);
};

class SecureRandom final : public Random {
 public:
  void fill(void* out, std::size_t n) override;
  static SecureRandom& instance();
};

}  // namespace impd
