// impd's allocator is jemalloc, for the memory of many idle sessions. A sign-in wave leaves
// every new session's few long-lived objects between the freed XML parsers, SCRAM state and
// stanzas of the sign-ins around it. glibc's malloc then keeps most pages of the heap
// resident for a few live bytes each; jemalloc keeps objects of one size class together and
// gives back whole pages once they are free.
//
// jemalloc reads these settings at start-up, before the MALLOC_CONF environment variable,
// which can still override any of them:
// - background_thread: a thread of its own returns freed pages, so a server that has gone
//   quiet after a burst also shrinks;
// - dirty_decay_ms 1000: freed pages are kept for about a second for reuse, then returned;
// - muzzy_decay_ms 0: returned pages are released at once (MADV_DONTNEED), so RSS shows it.
extern "C" {
// NOLINTNEXTLINE: the name is jemalloc's.
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
