#include "im/subscription.h"

#include <array>

namespace impd::im {

namespace {
using S = SubState;
using T = SubType;

// RFC 6121 §A.2.1-A.2.4: outbound subscription stanzas at the user's server.
// Each row: state, then for subscribe / subscribed / unsubscribe / unsubscribed the pair
// (route, next state).
struct OutRow {
  S state;
  OutboundStep subscribe, subscribed, unsubscribe, unsubscribed;
};
constexpr std::array<OutRow, 9> kOutbound{{
    {S::kNone,     {true, S::kNonePO},   {false, S::kNone},     {true, S::kNone},     {false, S::kNone}},
    {S::kNonePO,   {true, S::kNonePO},   {false, S::kNonePO},   {true, S::kNone},     {false, S::kNonePO}},
    {S::kNonePI,   {true, S::kNonePOPI}, {true, S::kFrom},      {true, S::kNonePI},   {true, S::kNone}},
    {S::kNonePOPI, {true, S::kNonePOPI}, {true, S::kFromPO},    {true, S::kNonePI},   {true, S::kNonePO}},
    {S::kTo,       {true, S::kTo},       {false, S::kTo},       {true, S::kNone},     {false, S::kTo}},
    {S::kToPI,     {true, S::kToPI},     {true, S::kBoth},      {true, S::kNonePI},   {true, S::kTo}},
    {S::kFrom,     {true, S::kFromPO},   {false, S::kFrom},     {true, S::kFrom},     {true, S::kNone}},
    {S::kFromPO,   {true, S::kFromPO},   {false, S::kFromPO},   {true, S::kFrom},     {true, S::kNonePO}},
    {S::kBoth,     {true, S::kBoth},     {false, S::kBoth},     {true, S::kFrom},     {true, S::kTo}},
}};

// RFC 6121 §A.3.1-A.3.4: inbound subscription stanzas at the user's server.
using A = InboundAction;
struct InRow {
  S state;
  InboundStep subscribe, subscribed, unsubscribe, unsubscribed;
};
constexpr std::array<InRow, 9> kInbound{{
    {S::kNone,     {A::kDeliver, S::kNonePI},        {A::kDrop, S::kNone},         {A::kDrop, S::kNone},         {A::kDrop, S::kNone}},
    {S::kNonePO,   {A::kDeliver, S::kNonePOPI},      {A::kDeliver, S::kTo},        {A::kDrop, S::kNonePO},       {A::kDeliver, S::kNone}},
    {S::kNonePI,   {A::kDrop, S::kNonePI},           {A::kDrop, S::kNonePI},       {A::kDeliver, S::kNone},      {A::kDrop, S::kNonePI}},
    {S::kNonePOPI, {A::kDrop, S::kNonePOPI},         {A::kDeliver, S::kToPI},      {A::kDeliver, S::kNonePO},    {A::kDeliver, S::kNonePI}},
    {S::kTo,       {A::kDeliver, S::kToPI},          {A::kDrop, S::kTo},           {A::kDrop, S::kTo},           {A::kDeliver, S::kNone}},
    {S::kToPI,     {A::kDrop, S::kToPI},             {A::kDrop, S::kToPI},         {A::kDeliver, S::kTo},        {A::kDeliver, S::kNonePI}},
    {S::kFrom,     {A::kReplySubscribed, S::kFrom},  {A::kDrop, S::kFrom},         {A::kDeliver, S::kNone},      {A::kDrop, S::kFrom}},
    {S::kFromPO,   {A::kReplySubscribed, S::kFromPO},{A::kDeliver, S::kBoth},      {A::kDeliver, S::kNonePO},    {A::kDeliver, S::kFrom}},
    {S::kBoth,     {A::kReplySubscribed, S::kBoth},  {A::kDrop, S::kBoth},         {A::kDeliver, S::kTo},        {A::kDeliver, S::kFrom}},
}};

template <typename Row, typename Step>
const Step& pick(const Row& row, T t) {
  switch (t) {
    case T::kSubscribe: return row.subscribe;
    case T::kSubscribed: return row.subscribed;
    case T::kUnsubscribe: return row.unsubscribe;
    case T::kUnsubscribed: return row.unsubscribed;
  }
  return row.subscribe;
}

struct Flags {
  storage::Subscription sub;
  bool askOut, pendingIn;
};
constexpr std::array<std::pair<S, Flags>, 9> kFlags{{
    {S::kNone, {storage::Subscription::kNone, false, false}},
    {S::kNonePO, {storage::Subscription::kNone, true, false}},
    {S::kNonePI, {storage::Subscription::kNone, false, true}},
    {S::kNonePOPI, {storage::Subscription::kNone, true, true}},
    {S::kTo, {storage::Subscription::kTo, false, false}},
    {S::kToPI, {storage::Subscription::kTo, false, true}},
    {S::kFrom, {storage::Subscription::kFrom, false, false}},
    {S::kFromPO, {storage::Subscription::kFrom, true, false}},
    {S::kBoth, {storage::Subscription::kBoth, false, false}},
}};
}  // namespace

std::optional<SubType> parseSubType(std::string_view type) {
  if (type == "subscribe") return T::kSubscribe;
  if (type == "subscribed") return T::kSubscribed;
  if (type == "unsubscribe") return T::kUnsubscribe;
  if (type == "unsubscribed") return T::kUnsubscribed;
  return std::nullopt;
}

std::string_view subTypeName(SubType t) {
  switch (t) {
    case T::kSubscribe: return "subscribe";
    case T::kSubscribed: return "subscribed";
    case T::kUnsubscribe: return "unsubscribe";
    case T::kUnsubscribed: return "unsubscribed";
  }
  return "subscribe";
}

SubState stateOf(const storage::RosterItem& item) {
  // To/From/Both carry at most one pending flag in RFC 6121's nine states: To can only add
  // Pending In, From only Pending Out; a stray flag from bad data is ignored.
  for (const auto& [state, f] : kFlags) {
    if (f.sub == item.subscription && f.askOut == item.askOut && f.pendingIn == item.pendingIn) {
      return state;
    }
  }
  for (const auto& [state, f] : kFlags) {
    if (f.sub == item.subscription) return state;
  }
  return S::kNone;
}

void applyState(storage::RosterItem& item, SubState s) {
  for (const auto& [state, f] : kFlags) {
    if (state == s) {
      item.subscription = f.sub;
      item.askOut = f.askOut;
      item.pendingIn = f.pendingIn;
    }
  }
}

OutboundStep onOutbound(SubState s, SubType t) {
  return pick<OutRow, OutboundStep>(kOutbound[static_cast<std::size_t>(s)], t);
}

InboundStep onInbound(SubState s, SubType t) {
  return pick<InRow, InboundStep>(kInbound[static_cast<std::size_t>(s)], t);
}

}  // namespace impd::im
