#pragma once
// The RFC 6121 subscription state machine (Appendix A), as data. Pure: no I/O, no clocks.
#include <optional>
#include <string_view>

#include "storage/roster.h"

namespace impd::im {

// The nine states of RFC 6121 §A.1 (PO = Pending Out, PI = Pending In).
enum class SubState { kNone, kNonePO, kNonePI, kNonePOPI, kTo, kToPI, kFrom, kFromPO, kBoth };
enum class SubType { kSubscribe, kSubscribed, kUnsubscribe, kUnsubscribed };

std::optional<SubType> parseSubType(std::string_view presenceType);
std::string_view subTypeName(SubType t);

SubState stateOf(const storage::RosterItem& item);
// Writes the state into subscription/askOut/pendingIn of an item.
void applyState(storage::RosterItem& item, SubState s);

struct OutboundStep {
  bool route;      // forward the stanza to the contact
  SubState next;
};
// A subscription stanza the user sends to a contact (RFC 6121 §A.2, user's server).
OutboundStep onOutbound(SubState s, SubType t);

enum class InboundAction { kDeliver, kDrop, kReplySubscribed };
struct InboundStep {
  InboundAction action;
  SubState next;
};
// A subscription stanza from a contact to the user (RFC 6121 §A.3, user's server).
InboundStep onInbound(SubState s, SubType t);

}  // namespace impd::im
