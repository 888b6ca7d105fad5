#include <openssl/evp.h>
#include <openssl/rand.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>

#include "base/base64.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/random.h"

namespace impd {

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

std::string formatXmppTimestamp(Clock::System::time_point t) {
  std::time_t secs = Clock::System::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void SecureRandom::fill(void* out, std::size_t n) {
  if (RAND_bytes(static_cast<unsigned char*>(out), static_cast<int>(n)) != 1) {
    // Without a working CSPRNG no nonce or salt is safe; this is not recoverable.
    throw std::runtime_error("RAND_bytes failed");
  }
}

SecureRandom& SecureRandom::instance() {
  static SecureRandom random;
  return random;
}

std::string Random::token(std::size_t bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string raw(bytes, '\0');
  fill(raw.data(), raw.size());
  std::string out;
  out.reserve(bytes);
  for (unsigned char c : raw) out.push_back(kAlphabet[c & 63]);
  return out;
}

std::string base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    bool pad = c == '=' && i + 2 >= text.size() && (i + 1 == text.size() || text[i + 1] == '=');
    if (!alnum && c != '+' && c != '/' && !pad) return std::nullopt;
  }
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding bytes as output; drop them.
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

namespace {
std::mutex gLogMutex;
spdlog::level::level_enum gLevel = spdlog::level::info;
}  // namespace

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
  std::lock_guard lock(gLogMutex);
  if (auto existing = spdlog::get(name)) return existing;
  auto created = spdlog::stderr_color_mt(name);
  created->set_level(gLevel);
  created->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
  return created;
}

bool setLogLevel(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") return false;
  std::lock_guard lock(gLogMutex);
  gLevel = parsed;
  spdlog::set_level(parsed);
  return true;
}

}  // namespace impd
