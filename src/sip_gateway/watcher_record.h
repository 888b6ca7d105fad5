#pragma once
// What is kept of a SIP watcher's subscription across a restart (storage::SipWatcher::state):
// the notifier dialog, the Event value the NOTIFYs echo, what the user decided, and until
// when the subscription was granted, in wall-clock time (steady time does not survive a
// restart). JSON, so that a stored row stays readable when fields are added.
#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/sip/dialog.h"

namespace impd::sip_gateway {

struct WatcherRecord {
  sip::DialogSnapshot dialog;
  std::string event;
  std::string sight;  // "pending", "authorized", "withheld"
  std::chrono::system_clock::time_point expires;
};

std::string writeWatcherRecord(const WatcherRecord& record);
// Error "bad-request" for a document that is not a record (a damaged row is dropped).
Result<WatcherRecord> readWatcherRecord(std::string_view json);

}  // namespace impd::sip_gateway
