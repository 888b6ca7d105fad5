#pragma once
// Finds the send times the presence workload writes into its status texts, as
// "<status>t<nanoseconds></status>", in a contact's decrypted byte stream. Reads may split a
// stamp anywhere, so the unfinished end of one read is kept for the next.
//
// Why bytes and not stanzas: a contact's part in a presence round is one stanza to take in,
// and parsing it into an element tree cost the generator about as much CPU as the server
// spent delivering it, on the same two cores. Every server serialises a child element without
// attributes the same way, so the marker is found alike in all three servers' output.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace impd::loadgen {

class StampScanner {
 public:
  // Calls onStamp(nanoseconds) for every stamp that `bytes` completes.
  template <class OnStamp>
  void feed(std::string_view bytes, OnStamp&& onStamp) {
    std::string_view text = bytes;
    if (!pending_.empty()) {
      pending_.append(bytes);
      text = pending_;
    }
    const std::size_t keepFrom = scan(text, onStamp);
    // A stamp is about thirty bytes: a longer unfinished one is not a stamp.
    if (keepFrom >= text.size() || text.size() - keepFrom > kLongest) {
      pending_.clear();
    } else if (text.data() == pending_.data()) {
      pending_.erase(0, keepFrom);
    } else {
      pending_.assign(text.substr(keepFrom));
    }
  }

 private:
  static constexpr std::string_view kOpen = "<status>t";
  static constexpr std::size_t kLongest = 64;

  // Reports the complete stamps in `text` and returns where its unfinished end begins.
  template <class OnStamp>
  static std::size_t scan(std::string_view text, OnStamp& onStamp) {
    std::size_t at = 0;
    for (;;) {
      const std::size_t open = text.find(kOpen, at);
      if (open == std::string_view::npos) {
        // A marker may begin in the last few bytes.
        return text.size() > kOpen.size() ? text.size() - (kOpen.size() - 1) : 0;
      }
      const std::size_t digits = open + kOpen.size();
      const std::size_t end = text.find('<', digits);
      if (end == std::string_view::npos) return open;
      std::int64_t value = 0;
      const auto [stop, ec] = std::from_chars(text.data() + digits, text.data() + end, value);
      if (ec == std::errc() && stop == text.data() + end) onStamp(value);
      at = end;
    }
  }

  std::string pending_;
};

}  // namespace impd::loadgen
