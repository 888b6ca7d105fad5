#pragma once
// The identity of a dialog (RFC 3261 §12): Call-ID plus the local and the remote tag. Which
// message tag is "local" depends on the side, so the helpers below say whose view they take.
#include <cstddef>
#include <functional>
#include <string>

#include "base/result.h"
#include "codec/sip/message.h"

namespace impd::sip {

struct DialogId {
  std::string callId;
  std::string localTag;
  std::string remoteTag;

  friend bool operator==(const DialogId&, const DialogId&) = default;
};

struct DialogIdHash {
  std::size_t operator()(const DialogId& id) const;
};

// The id of the dialog a received request belongs to: the To tag is ours, the From tag the
// peer's (§12.2.2). A request without a To tag is outside any dialog: remoteTag is set and
// localTag empty.
Result<DialogId> dialogIdOfRequest(const Message& request);

// The id of the dialog a received response belongs to: the From tag is ours, the To tag the
// peer's (§12.2.1.2).
Result<DialogId> dialogIdOfResponse(const Message& response);

}  // namespace impd::sip

template <>
struct std::hash<impd::sip::DialogId> {
  std::size_t operator()(const impd::sip::DialogId& id) const {
    return impd::sip::DialogIdHash{}(id);
  }
};
