#pragma once
// OpenSSL's live allocations grouped by the source line that made them, through OpenSSL's own
// allocation hooks (CRYPTO_set_mem_functions): which of its objects make up the bytes an idle
// connection keeps. Sizes are as requested, before the allocator rounds them up.
#include <cstddef>
#include <string>
#include <vector>

namespace impd::footprint {

struct AllocationSite {
  std::string where;  // "ssl/ssl_lib.c:691"
  std::size_t bytes = 0;
  std::size_t count = 0;
};

// Routes OpenSSL's allocations through the counting hooks. It must run before OpenSSL has
// allocated anything; false when that is too late.
bool hookOpenSslAllocations();
// While on, allocations are recorded; whatever is freed is forgotten, on or off. Without the
// hooks there is nothing to record, and nothing is.
void recordAllocations(bool on);
// The recorded allocations still live, by site, the largest first.
std::vector<AllocationSite> liveSites();

}  // namespace impd::footprint
