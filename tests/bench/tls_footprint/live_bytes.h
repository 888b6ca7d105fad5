#pragma once
// Bytes the process holds in live heap allocations, as its allocator counts them: jemalloc's
// stats.allocated (size classes, after flushing this thread's cache), the sanitizer allocator's
// count, or glibc's mallinfo2. Only differences between two readings mean anything.
#include <cstddef>
#include <string_view>

namespace impd::footprint {

std::size_t liveBytes();
std::string_view allocatorName();

}  // namespace impd::footprint
