#pragma once
// XEP-0198 counters and the queue of stanzas sent but not yet acknowledged. It belongs to the
// session, not the connection, so that a resumed stream can resend what the old one lost.
// Only the connection currently attached to the session touches it.
#include <cstdint>
#include <vector>
#include <utility>

#include "xml/element.h"

namespace impd::core {

class SmState {
 public:
  bool enabled() const { return enabled_; }
  bool resumable() const { return resumable_; }
  void enable(bool resumable) {
    enabled_ = true;
    resumable_ = resumable;
  }

  // Inbound: the client's stanzas we handled (our h).
  std::uint32_t handled() const { return handled_; }
  void countHandled() { ++handled_; }

  // Outbound: every stanza sent while enabled is kept until acknowledged.
  void sent(const xml::Element& stanza) {
    ++sent_;
    unacked_.push_back(stanza);
  }
  std::size_t unackedCount() const { return unacked_.size(); }
  std::uint32_t sentCount() const { return sent_; }

  // The client acknowledged h stanzas in total (counters wrap at 2^32 per XEP-0198).
  // False when h acknowledges more than was sent: a protocol error (undefined-condition).
  bool acknowledge(std::uint32_t h) {
    std::uint32_t acked = sent_ - static_cast<std::uint32_t>(unacked_.size());
    std::uint32_t newly = h - acked;
    if (newly > unacked_.size()) return false;
    unacked_.erase(unacked_.begin(), unacked_.begin() + newly);
    return true;
  }
  // Hands over the unacknowledged stanzas (for resending after resumption, or rerouting).
  std::vector<xml::Element> takeUnacked() {
    sent_ -= static_cast<std::uint32_t>(unacked_.size());
    return std::exchange(unacked_, {});
  }

 private:
  bool enabled_ = false;
  bool resumable_ = false;
  std::uint32_t handled_ = 0;
  std::uint32_t sent_ = 0;
  std::vector<xml::Element> unacked_;  // short between acks; an empty deque would cost ~600 bytes
};

}  // namespace impd::core
