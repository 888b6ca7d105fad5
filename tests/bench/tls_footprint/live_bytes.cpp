#include "live_bytes.h"

#if defined(IMPD_FOOTPRINT_JEMALLOC)
#include <jemalloc/jemalloc.h>

#include <cstdint>
#elif defined(__SANITIZE_ADDRESS__)
// The sanitizer runtime exports it; GCC ships no header that declares it.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#else
#include <malloc.h>
#endif

namespace impd::footprint {

#if defined(IMPD_FOOTPRINT_JEMALLOC)
std::size_t liveBytes() {
  // Objects freed into this thread's cache still count as allocated until flushed; the
  // statistics themselves are a snapshot refreshed by writing the epoch.
  mallctl("thread.tcache.flush", nullptr, nullptr, nullptr, 0);
  std::uint64_t epoch = 1;
  std::size_t size = sizeof epoch;
  mallctl("epoch", &epoch, &size, &epoch, size);
  std::size_t allocated = 0;
  size = sizeof allocated;
  mallctl("stats.allocated", &allocated, &size, nullptr, 0);
  return allocated;
}
std::string_view allocatorName() {
  return "jemalloc";
}
#elif defined(__SANITIZE_ADDRESS__)
std::size_t liveBytes() {
  return __sanitizer_get_current_allocated_bytes();
}
std::string_view allocatorName() {
  return "sanitizer";
}
#else
std::size_t liveBytes() {
  return mallinfo2().uordblks;
}
std::string_view allocatorName() {
  return "glibc";
}
#endif

}  // namespace impd::footprint
