// Presence, XMPP -> SIP (xmpp_to_sip_presence.h).
#include "gateway/xmpp_to_sip_presence.h"

#include "codec/presence/xmpp_show.h"
#include "codec/xmpp/namespaces.h"
#include "codec/simple/namespaces.h"
#include "gateway/address_map.h"
#include "gateway/xmpp_common.h"

namespace impd::gateway {
namespace {

using presence::Availability;

// The text of the first child `name` without xml:lang, else of the first one.
std::string preferredText(const xml::Element& stanza, std::string_view name) {
  const auto elements = stanza.children(name, stanza.ns());
  for (const xml::Element* e : elements) {
    if (!e->hasAttr(kXmlLangAttr)) return e->text();
  }
  return elements.empty() ? std::string() : elements.front()->text();
}

// Words for a state that a peer's table folds into a poorer one, so that the note keeps what
// the activity token no longer can (protocol-notes §8: keep the richer label).
std::string_view richLabel(Availability state) {
  switch (state) {
    case Availability::availableIdle: return "Inactive";
    case Availability::busy: return "Busy";
    case Availability::doNotDisturb: return "Do not disturb";
    case Availability::beRightBack: return "Be right back";
    case Availability::extendedAway: return "Extended away";
    case Availability::idle: return "Idle";
    case Availability::inAMeeting: return "In a meeting";
    default: return "";
  }
}

}  // namespace

Result<simple::PresenceDocument> pidfDocumentForPresence(const xml::Element& presence,
                                                         const xmpp::Jid& user,
                                                         presence::System watcher) {
  const std::string_view type = presence.attr("type");
  if (!type.empty() && type != "unavailable") {
    return makeError("bad-request", "presence of type '" + std::string(type) +
                                        "' carries no presence state");
  }
  auto entity = presEntityForJid(user.bare());
  if (!entity) return makeError("bad-request", entity.error().message);

  simple::PresenceDocument doc;
  doc.entity = std::move(*entity);
  const std::string status = preferredText(presence, "status");
  if (type == "unavailable") {
    doc.open = false;
    doc.availability = Availability::offline;
    doc.note = status;
    return doc;
  }

  // An unknown <show> value is read as none: RFC 6121 allows no other values, and
  // "available" is the least surprising reading of a broken one.
  const auto show = presence::parseShow(preferredText(presence, "show"));
  const presence::PresenceState state =
      presence::fromXmppShow(presence::XmppShow{show.value_or(presence::Show::none), status});
  // The IM service already mapped the state for this peer's users when it could say more
  // than <show> does; that state is taken as it is, not mapped a second time.
  if (const xml::Element* ext = presence.child("availability", xmpp::ns::kAvailability)) {
    if (auto given = presence::parseAvailability(ext->attr("state"))) {
      doc.open = *given != Availability::offline;
      doc.availability = *given;
      doc.note = status;
      return doc;
    }
  }
  const auto mapped = presence::mapAvailability(presence::System::xmppClient,
                                                state.availability, watcher);
  Availability shown = mapped ? mapped->state : state.availability;
  std::string note = state.status;
  if (mapped && !mapped->status.empty()) {
    note = mapped->status;
  } else if (note.empty() && shown != state.availability) {
    note = richLabel(state.availability);
  }
  doc.open = shown != Availability::offline;
  doc.availability = shown;
  doc.note = std::move(note);
  return doc;
}

Result<std::string> pidfForPresence(const xml::Element& presence, const xmpp::Jid& user,
                                    presence::System watcher) {
  auto doc = pidfDocumentForPresence(presence, user, watcher);
  if (!doc) return doc.error();
  return simple::buildPidf(*doc);
}

Result<std::string> politeBlockPidf(const xmpp::Jid& user) {
  auto entity = presEntityForJid(user.bare());
  if (!entity) return makeError("bad-request", entity.error().message);
  return simple::buildOfflinePidf(*entity);
}

sip::Message buildPresenceNotify(sip::Dialog& dialog,
                                 const sip::NotifierSubscription& subscription,
                                 sip::TimePoint now, std::string_view pidfBody,
                                 std::string_view event) {
  sip::Message notify = dialog.createRequest("NOTIFY");
  notify.add("Event", std::string(event));
  notify.add("Subscription-State", subscription.subscriptionStateHeader(now));
  // A subscription the watcher itself ended with Expires: 0 (a fetch, or an un-SUBSCRIBE)
  // ends with reason timeout, and that final NOTIFY carries the state (RFC 6665).
  const bool fetchAnswer = subscription.state() == sip::SubscriptionState::Terminated &&
                           subscription.reason() == sip::TerminationReason::Timeout;
  const bool carriesState =
      subscription.state() == sip::SubscriptionState::Active || fetchAnswer;
  if (carriesState && !pidfBody.empty()) {
    notify.setBody(std::string(pidfBody), simple::kPidfType);
  }
  return notify;
}

}  // namespace impd::gateway
