// Presence, SIP -> XMPP (sip_to_xmpp_presence.h).
#include "gateway/sip_to_xmpp_presence.h"

#include <cstdint>
#include <optional>

#include "codec/presence/xmpp_show.h"
#include "codec/simple/namespaces.h"
#include "codec/simple/pidf.h"
#include "codec/sip/headers.h"
#include "codec/xmpp/namespaces.h"
#include "gateway/sip_common.h"
#include "gateway/text_util.h"
#include "gateway/xmpp_common.h"

namespace impd::gateway {
namespace {

using sip::SubscriptionState;
using sip::TerminationReason;

bool isPlainIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

bool isDigits(std::string_view s, std::size_t from, std::size_t count) {
  if (from + count > s.size()) return false;
  for (std::size_t i = from; i < from + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// The RFC 3339 shape (which XEP-0082 shares): YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM).
// Only the shape is checked; a stamp that passes is copied into <delay/> as sent.
bool isRfc3339(std::string_view s) {
  if (!isDigits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !isDigits(s, 5, 2) || s[7] != '-' ||
      !isDigits(s, 8, 2) || (s[10] != 'T' && s[10] != 't') || !isDigits(s, 11, 2) ||
      s[13] != ':' || !isDigits(s, 14, 2) || s[16] != ':' || !isDigits(s, 17, 2)) {
    return false;
  }
  std::size_t pos = 19;
  if (s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return false;
  }
  std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && isDigits(zone, 1, 2) &&
         zone[3] == ':' && isDigits(zone, 4, 2);
}

xmpp::Jid fromJid(const NotifyContext& context, std::string_view resource) {
  if (resource.empty()) return context.presentity.bare();
  return context.presentity.bare().withResource(resource);
}

xml::Element unavailable(const NotifyContext& context, std::string_view resource) {
  return makeStanza("presence", fromJid(context, resource), context.watcher.bare(),
                    "unavailable");
}

// The presence stanzas for one document; updates `resource` to what is now shown.
void appendPresence(const simple::PresenceDocument& doc, const NotifyContext& context,
                    std::vector<xml::Element>& out, std::string& resource) {
  const std::string docResource =
      context.synthesizeResource ? resourceForTuple(doc.tupleId) : std::string();
  const auto shown =
      presence::xmppShowFor(context.peer, simple::availabilityOf(doc), doc.note);
  if (!shown) {
    // Closed: the resource we last showed goes away (it is the one the client knows).
    out.push_back(unavailable(context, context.lastResource.empty() ? docResource
                                                                    : context.lastResource));
    resource.clear();
    return;
  }
  if (!context.lastResource.empty() && context.lastResource != docResource) {
    out.push_back(unavailable(context, context.lastResource));
  }
  xml::Element stanza = makeStanza("presence", fromJid(context, docResource),
                                   context.watcher.bare());
  if (shown->show != presence::Show::none) {
    stanza.addChild("show", stanza.ns()).addText(presence::showName(shown->show));
  }
  if (!shown->status.empty()) stanza.addChild("status", stanza.ns()).addText(shown->status);
  if (doc.timestamp && isRfc3339(*doc.timestamp)) {
    stanza.addChild("delay", std::string(xmpp::ns::kDelay))
        .setAttr("from", context.presentity.domain())
        .setAttr("stamp", *doc.timestamp);
  }
  out.push_back(std::move(stanza));
  resource = docResource;
}

// The NOTIFY's PIDF, nullopt when it has none we can read: no body, a body of another type
// (we Accept only PIDF; a peer that sends something else anyway is ignored, not failed), or a
// document that does not parse.
std::optional<simple::PresenceDocument> documentOf(const sip::Message& notify,
                                                   presence::System peer) {
  if (trim(notify.body()).empty()) return std::nullopt;
  const std::string type = mediaTypeOf(notify);
  // RFC 3856: PIDF is the presence package's default body format.
  if (!type.empty() && type != simple::kPidfType) return std::nullopt;
  auto doc = simple::parsePidf(notify.body(), peer);
  if (!doc) return std::nullopt;
  return std::move(*doc);
}

bool isRefusal(std::optional<TerminationReason> reason) {
  return reason == TerminationReason::Rejected || reason == TerminationReason::Noresource;
}

}  // namespace

std::string_view toString(NotifyMeaning meaning) {
  switch (meaning) {
    case NotifyMeaning::presence: return "presence";
    case NotifyMeaning::subscriptionApproved: return "subscription-approved";
    case NotifyMeaning::subscriptionRejected: return "subscription-rejected";
    case NotifyMeaning::subscriptionEndedRetry: return "subscription-ended-retry";
    case NotifyMeaning::pending: return "pending";
    case NotifyMeaning::ignore: return "ignore";
  }
  return "ignore";
}

std::string resourceForTuple(std::string_view tupleId) {
  if (tupleId.empty()) return "sip";
  bool plain = tupleId.size() <= 64;
  for (char c : tupleId) plain = plain && isPlainIdChar(c);
  if (plain) return std::string(tupleId);
  // FNV-1a: fixed across runs and builds, unlike std::hash.
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : tupleId) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "t";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(hash >> shift) & 0xf]);
  return out;
}

Result<NotifyTranslation> translateNotify(const sip::Message& notify,
                                          const NotifyContext& context) {
  auto event = sip::ParamValue::parse(notify.get("Event").value_or(""));
  if (!event || !iequals(event->value(), kPresenceEvent)) {
    return makeError("bad-event", "NOTIFY is not for the presence event package");
  }
  const auto header = notify.get("Subscription-State");
  if (!header) return makeError("bad-request", "NOTIFY without Subscription-State");
  auto state = sip::parseSubscriptionState(*header);
  if (!state) return state.error();

  NotifyTranslation out;
  out.state = *state;
  out.resource = context.lastResource;
  const auto doc = documentOf(notify, context.peer);

  switch (state->state) {
    case SubscriptionState::Pending:
      out.meaning = NotifyMeaning::pending;
      return out;
    case SubscriptionState::Active:
      if (!context.approved) {
        out.meaning = NotifyMeaning::subscriptionApproved;
        out.stanzas.push_back(makeStanza("presence", context.presentity.bare(),
                                         context.watcher.bare(), "subscribed"));
      } else {
        out.meaning = doc ? NotifyMeaning::presence : NotifyMeaning::ignore;
      }
      if (doc) appendPresence(*doc, context, out.stanzas, out.resource);
      return out;
    case SubscriptionState::Terminated:
      break;
  }

  if (isRefusal(state->reason)) {
    out.meaning = NotifyMeaning::subscriptionRejected;
    out.stanzas.push_back(makeStanza("presence", context.presentity.bare(),
                                     context.watcher.bare(), "unsubscribed"));
    if (context.approved || !context.lastResource.empty()) {
      out.stanzas.push_back(unavailable(context, context.lastResource));
    }
    out.resource.clear();
    return out;
  }
  if (state->reason == TerminationReason::Invariant) {
    out.meaning = doc ? NotifyMeaning::presence : NotifyMeaning::ignore;
  } else {
    out.meaning = NotifyMeaning::subscriptionEndedRetry;
  }
  if (doc) appendPresence(*doc, context, out.stanzas, out.resource);
  return out;
}

}  // namespace impd::gateway
