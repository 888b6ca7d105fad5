#pragma once
// PIDF presence documents (RFC 3863) with the data model (RFC 4479), RPID (RFC 4480) and
// CIPID (RFC 4482) bits that SIMPLE peers and Lync put in them, read into one flat record
// and written back as the single-tuple document Lync consumes. The reader is tolerant:
// namespaces and placement vary between peers (Lync puts its activity inside the tuple's
// <status>, RFC 4480 puts it in <dm:person>), and unknown elements are ignored.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "codec/presence/availability.h"
#include "codec/presence/profile.h"

namespace impd::simple {

struct PresenceDocument {
  std::string entity;  // the presence element's entity, as sent ("pres:alice@example.com")
  bool open = false;   // basic status of the chosen tuple
  // The state the activities and user-input say (rpid.h); nullopt when they say nothing known.
  // availabilityOf() combines it with `open`.
  std::optional<presence::Availability> availability;
  std::vector<std::string> activities;  // raw tokens as read (element names, rpid:other text)
  std::string note;                     // person note, else tuple note, else document note
  std::optional<double> priority;       // the chosen tuple's contact priority, 0..1
  std::string contact;                  // the chosen tuple's contact URI
  std::string tupleId;
  std::optional<std::string> timestamp;  // RFC 3339 text as sent
  std::string displayName;               // CIPID display-name
  // RPID user-input of the person, else of the chosen tuple, else of the first device:
  // true idle, false active.
  std::optional<bool> idle;

  bool operator==(const PresenceDocument&) const = default;
};

// The canonical state of a document: offline when closed, else what the activities say,
// else available.
presence::Availability availabilityOf(const PresenceDocument& doc);

// Reads a PIDF body. Activity tokens are read as a peer of system `from` means them (Lync's
// "meeting" is busy). Of several tuples the best is used: open before unknown before closed,
// then the highest contact priority, then document order. A tuple without <basic> counts as
// open when the person's activities say the person is reachable at all. An empty (or white
// space only) body is a closed document: a NOTIFY without a body carries no presence.
// Errors, condition "bad-request": not well-formed or restricted XML (DTDs, comments, PIs),
// over the XML layer's limits, or a root other than PIDF's <presence>.
Result<PresenceDocument> parsePidf(std::string_view xml,
                                   presence::System from = presence::System::generic);

// Writes one tuple whose basic status is open unless the document is closed or its state is
// offline; an open document's state goes into <dm:person> as RPID (rpid.h) and the note into
// the tuple's <note>. The entity gets "pres:" when it has no URI scheme; tupleId defaults to
// a fixed id when empty or not an XML ID. A closed document carries no activities. The raw
// `activities` are not written: the state decides the tokens.
std::string buildPidf(const PresenceDocument& doc);

// The document that shows `entity` offline with nothing else: the answer to a watcher whom the
// user politely blocks (subscription active, presentity seemingly offline).
std::string buildOfflinePidf(std::string_view entity);

}  // namespace impd::simple
