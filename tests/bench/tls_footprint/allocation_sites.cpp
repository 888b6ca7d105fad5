#include "allocation_sites.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace impd::footprint {

namespace {

struct Allocation {
  const char* file;
  int line;
  std::size_t size;
};

// Plain pointers, never freed: the hooks may run during exit, after static destructors.
std::mutex* guard = nullptr;
std::unordered_map<void*, Allocation>* live = nullptr;
bool recording = false;

void remember(void* p, std::size_t size, const char* file, int line) {
  if (p == nullptr) return;
  std::lock_guard lock(*guard);
  if (recording) (*live)[p] = {file, line, size};
}

void forget(void* p) {
  if (p == nullptr) return;
  std::lock_guard lock(*guard);
  live->erase(p);
}

void* countedMalloc(std::size_t size, const char* file, int line) {
  void* p = std::malloc(size);
  remember(p, size, file, line);
  return p;
}

void* countedRealloc(void* old, std::size_t size, const char* file, int line) {
  forget(old);
  void* p = std::realloc(old, size);
  remember(p, size, file, line);
  return p;
}

void countedFree(void* p, const char*, int) {
  forget(p);
  std::free(p);
}

// OpenSSL's file names are relative to its build folder: "../ssl/ssl_lib.c".
std::string_view shortName(const char* file) {
  std::string_view name = file != nullptr ? file : "?";
  while (name.starts_with("../")) name.remove_prefix(3);
  return name;
}

}  // namespace

bool hookOpenSslAllocations() {
  guard = new std::mutex;
  live = new std::unordered_map<void*, Allocation>;
  return CRYPTO_set_mem_functions(countedMalloc, countedRealloc, countedFree) == 1;
}

void recordAllocations(bool on) {
  if (guard == nullptr) return;  // not hooked: nothing could be recorded
  std::lock_guard lock(*guard);
  recording = on;
}

std::vector<AllocationSite> liveSites() {
  std::map<std::string, AllocationSite> bySite;
  if (guard != nullptr) {
    std::lock_guard lock(*guard);
    for (const auto& [pointer, a] : *live) {
      std::string where = std::string(shortName(a.file)) + ":" + std::to_string(a.line);
      AllocationSite& site = bySite[where];
      site.where = std::move(where);
      site.bytes += a.size;
      ++site.count;
    }
  }
  std::vector<AllocationSite> sites;
  for (auto& [where, site] : bySite) sites.push_back(std::move(site));
  std::stable_sort(
      sites.begin(), sites.end(),
      [](const AllocationSite& a, const AllocationSite& b) { return a.bytes > b.bytes; });
  return sites;
}

}  // namespace impd::footprint
