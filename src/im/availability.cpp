// Availability as each recipient sees it (the seed's "Availability State Mappings"). A presence
// stanza is read into the canonical state in its sender's terms, mapped through the tables of
// codec/presence for the recipient's system, and written back: as <show>/<status> for a
// standard client or a peer, plus the availability extension for a rich client (one that lists
// the extension in its entity capabilities) and for another impd deployment.
#include "codec/presence/profile.h"
#include "codec/presence/xmpp_show.h"
#include "codec/xmpp/namespaces.h"
#include "im/internal.h"

namespace impd::im {

namespace {

using presence::Availability;
using presence::System;

const xml::Element* extension(const xml::Element& stanza) {
  return stanza.child("availability", xmpp::ns::kAvailability);
}

// The system a federated domain's users are in; `rich`: the presence carries the extension.
System peerSystem(PeerProfile profile, bool rich) {
  switch (profile) {
    case PeerProfile::kSametime: return System::sametime;
    case PeerProfile::kWebex: return System::webex;
    case PeerProfile::kLync: return System::lync;
    case PeerProfile::kOcs: return System::ocs;
    case PeerProfile::kImpd: return rich ? System::federatedRichClient : System::federatedXmppClient;
    case PeerProfile::kGeneric: break;
  }
  return System::generic;
}

// The sender's system: a local client by what it sent, a federated domain by its profile.
System senderSystem(const Env& env, const xml::Element& stanza, std::string_view fromDomain) {
  const bool rich = extension(stanza) != nullptr;
  if (env.isLocalDomain(fromDomain)) return rich ? System::richClient : System::xmppClient;
  return peerSystem(peerProfile(env, fromDomain), rich);
}

struct Reading {
  Availability state;
  std::string status;
};

Reading read(const xml::Element& stanza, System from) {
  std::string status = stanza.childText("status");
  const xml::Element* ext = extension(stanza);
  if (ext && (from == System::richClient || from == System::federatedRichClient)) {
    if (auto state = presence::parseAvailability(ext->attr("state"))) return {*state, status};
  }
  auto show = presence::parseShow(stanza.childText("show")).value_or(presence::Show::none);
  return {presence::canonicalFromPeer(from, presence::availabilityOfShow(show), status), status};
}

xml::Element withoutExtension(const xml::Element& stanza) {
  xml::Element out = stanza;
  out.removeChildren("availability", xmpp::ns::kAvailability);
  return out;
}

void setExtension(xml::Element& out, Availability state) {
  out.removeChildren("availability", xmpp::ns::kAvailability);
  out.addChild("availability", std::string(xmpp::ns::kAvailability))
      .setAttr("state", presence::availabilityName(state));
}

// Puts a rendering in place of the stanza's <show>/<status>; none (the recipient sees the
// sender offline) turns the stanza into unavailable presence.
void writeShown(xml::Element& out, const std::optional<presence::XmppShow>& shown) {
  out.removeChildren("show");
  out.removeChildren("status");
  if (!shown) {
    out.clearChildren();
    out.setAttr("type", "unavailable");
    return;
  }
  if (shown->show != presence::Show::none) {
    out.addChild("show", std::string(xmpp::ns::kClient)).addText(presence::showName(shown->show));
  }
  if (!shown->status.empty()) {
    out.addChild("status", std::string(xmpp::ns::kClient)).addText(shown->status);
  }
}

// A state in the standard spelling of <show>/<status>.
void setShowStatus(xml::Element& out, Availability state, std::string_view status) {
  writeShown(out, presence::xmppShowFor(System::generic, state, status));
}

struct Seen {
  Availability state;
  std::string status;
};

// What a user of `to` sees of a sender of `from` in the state read; identity where no table has
// the cell. The sender's own status text shows unless the cell fixes one.
Seen seenBy(System from, const Reading& r, System to) {
  auto mapped = presence::mapAvailability(from, r.state, to);
  if (!mapped) return {r.state, r.status};
  return {mapped->state, mapped->status.empty() ? r.status : std::string(mapped->status)};
}

bool isAvailablePresence(const xml::Element& stanza) {
  return stanza.name() == "presence" && !stanza.hasAttr("type");
}

}  // namespace

PeerProfile peerProfile(const Env& env, std::string_view domain) {
  auto it = env.ctx.peerProfiles.find(domain);
  return it == env.ctx.peerProfiles.end() ? PeerProfile::kGeneric : it->second;
}

xml::Element presenceForLocal(const Env& env, const xml::Element& stanza, std::string_view fromDomain,
                              bool richRecipient) {
  if (!isAvailablePresence(stanza)) return stanza;
  const System from = senderSystem(env, stanza, fromDomain);
  if (!richRecipient) {
    switch (from) {
      case System::xmppClient:
      case System::generic:
      case System::federatedXmppClient:
        return stanza;  // what a standard client wrote is what a standard client reads
      case System::federatedRichClient:
        return withoutExtension(stanza);  // the other deployment wrote <show> for standard clients
      default:
        break;
    }
  }
  const Reading r = read(stanza, from);
  xml::Element out = stanza;
  if (!richRecipient) {
    // A rich client or a peer with tables: xmppShowFor holds the cells for standard clients and
    // the spellings (away + "Busy") for states <show> cannot carry.
    out.removeChildren("availability", xmpp::ns::kAvailability);
    writeShown(out, presence::xmppShowFor(from, r.state, r.status));
    return out;
  }
  // The state travels in the extension; <show>/<status> stay as sent unless the table fixes a
  // status text of its own.
  const Seen s = seenBy(from, r, System::richClient);
  setExtension(out, s.state);
  if (s.status != r.status) {
    out.removeChildren("status");
    if (!s.status.empty()) out.addChild("status", std::string(xmpp::ns::kClient)).addText(s.status);
  }
  return out;
}

xml::Element presenceForRemote(const Env& env, const xml::Element& stanza, std::string_view toDomain) {
  if (!isAvailablePresence(stanza)) return stanza;
  const PeerProfile profile = peerProfile(env, toDomain);
  if (profile == PeerProfile::kGeneric) return stanza;
  const System from = extension(stanza) ? System::richClient : System::xmppClient;
  const Reading r = read(stanza, from);
  const System to = peerSystem(profile, false);
  // <show>/<status> as the peer's (standard) users see the state: rewritten only where the
  // table changes it, so a plain presence passes as it was sent.
  const Seen s = seenBy(from, r, to);
  xml::Element out = withoutExtension(stanza);
  if (s.state != r.state || s.status != r.status || from == System::richClient) {
    setShowStatus(out, s.state, s.status);
  }
  // Another impd deployment also gets the state its rich clients see (table 9 or 10).
  if (profile == PeerProfile::kImpd && out.attr("type").empty()) {
    setExtension(out, seenBy(from, r, System::federatedRichClient).state);
  }
  // A SIP domain is reached through our own gateway, which writes the state as an RPID
  // activity: it gets the mapped state itself, not only its <show> spelling (the extension
  // never leaves the process).
  if ((profile == PeerProfile::kLync || profile == PeerProfile::kOcs) && out.attr("type").empty()) {
    setExtension(out, s.state);
  }
  return out;
}

}  // namespace impd::im
