// Reading PIDF: picks the tuple and person that matter and flattens them (pidf.h).
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <vector>

#include "codec/simple/namespaces.h"
#include "codec/simple/pidf.h"
#include "codec/simple/rpid.h"
#include "codec/simple/text.h"
#include "xml/element.h"
#include "xml/stream_parser.h"

namespace impd::simple {
namespace {

using xml::Element;

// Far more than any peer sends; keeps a hostile document from growing the token list.
constexpr std::size_t kMaxActivities = 32;

enum class Basic { closed, unknown, open };  // ordered: a larger value is a better tuple

// Names are matched in any namespace: peers disagree about where (and whether) they qualify
// the data-model, RPID and CIPID elements, and no two of those vocabularies reuse a local name
// with another meaning.
const Element* find(const Element* parent, std::string_view name) {
  return parent ? parent->child(name) : nullptr;
}

std::string textOf(const Element* e) {
  return e ? std::string(detail::trim(e->text())) : "";
}

Basic basicOf(const Element& tuple) {
  const Element* basic = find(find(&tuple, "status"), "basic");
  if (!basic) return Basic::unknown;
  std::string value = detail::asciiLower(detail::trim(basic->text()));
  if (value == "open") return Basic::open;
  if (value == "closed") return Basic::closed;
  return Basic::unknown;
}

std::optional<double> priorityOf(const Element& tuple) {
  const Element* contact = tuple.child("contact");
  if (!contact || !contact->hasAttr("priority")) return std::nullopt;
  std::string_view text = detail::trim(contact->attr("priority"));
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  if (value < 0.0 || value > 1.0) return std::nullopt;  // RFC 3863 qvalue range
  return value;
}

const Element* bestTuple(const Element& root) {
  const Element* best = nullptr;
  Basic bestBasic = Basic::closed;
  double bestPriority = -1.0;  // a tuple without a priority ranks below one with any
  for (const Element* tuple : root.children("tuple")) {
    Basic basic = basicOf(*tuple);
    double priority = priorityOf(*tuple).value_or(-1.0);
    if (!best || basic > bestBasic || (basic == bestBasic && priority > bestPriority)) {
      best = tuple;
      bestBasic = basic;
      bestPriority = priority;
    }
  }
  return best;
}

// <rpid:activities> children, or Microsoft's <activities><activity>token</activity>.
void readActivities(const Element* activities, std::vector<ActivityToken>& out) {
  if (!activities) return;
  for (const Element* child : activities->children()) {
    if (out.size() >= kMaxActivities) return;
    const std::string& name = child->name();
    if (name == "note") continue;  // RPID lets an activities element carry its own note
    ActivityToken token;
    if (name == "other" || name == "activity") {
      token.text = textOf(child);
      token.other = name == "other";
    } else {
      token.text = name;
    }
    if (!token.text.empty()) out.push_back(std::move(token));
  }
}

std::optional<bool> userInputOf(const Element* parent) {
  std::string value = detail::asciiLower(textOf(find(parent, "user-input")));
  if (value == "idle") return true;
  if (value == "active") return false;
  return std::nullopt;
}

// The first non-empty text among the candidates, in order of preference.
std::string firstText(std::initializer_list<const Element*> candidates) {
  for (const Element* e : candidates) {
    std::string text = textOf(e);
    if (!text.empty()) return text;
  }
  return {};
}

}  // namespace

presence::Availability availabilityOf(const PresenceDocument& doc) {
  if (!doc.open) return presence::Availability::offline;
  return doc.availability.value_or(presence::Availability::available);
}

Result<PresenceDocument> parsePidf(std::string_view xml, presence::System from) {
  PresenceDocument doc;
  if (detail::trim(xml).empty()) return doc;

  Element root;
  if (!xml::parseDocument(xml, root)) {
    return makeError("bad-request", "PIDF body is not well-formed, restricted or too large");
  }
  if (root.name() != "presence" || !(root.ns() == kPidfNs || root.ns().empty())) {
    return makeError("bad-request", "root element is not a PIDF <presence>");
  }
  doc.entity = root.attr("entity");

  const Element* tuple = bestTuple(root);
  const Element* person = root.child("person");

  // The person's activities are the RFC 4479 place; Lync's in the tuple status only count
  // when the person says nothing known.
  std::vector<ActivityToken> personTokens;
  std::vector<ActivityToken> tupleTokens;
  readActivities(find(person, "activities"), personTokens);
  readActivities(find(find(tuple, "status"), "activities"), tupleTokens);
  auto state = availabilityFromActivities(from, personTokens);
  if (!state) state = availabilityFromActivities(from, tupleTokens);
  for (const auto* tokens : {&personTokens, &tupleTokens}) {
    for (const auto& token : *tokens) doc.activities.push_back(token.text);
  }

  // RFC 4480 puts user-input on the person, a tuple or a device (the PC that went idle).
  doc.idle = userInputOf(person);
  if (!doc.idle) doc.idle = userInputOf(tuple);
  if (!doc.idle) doc.idle = userInputOf(root.child("device"));
  doc.availability = withUserInput(state, doc.idle.value_or(false));

  Basic basic = tuple ? basicOf(*tuple) : Basic::unknown;
  doc.open = basic == Basic::open || (basic == Basic::unknown && doc.availability &&
                                      *doc.availability != presence::Availability::offline);

  doc.note = firstText({find(person, "note"), find(tuple, "note"), root.child("note")});
  doc.displayName = firstText(
      {find(person, "display-name"), find(tuple, "display-name"), root.child("display-name")});
  if (tuple) {
    doc.tupleId = tuple->attr("id");
    doc.contact = textOf(tuple->child("contact"));
    doc.priority = priorityOf(*tuple);
  }
  std::string timestamp = firstText({find(tuple, "timestamp"), find(person, "timestamp")});
  if (!timestamp.empty()) doc.timestamp = std::move(timestamp);
  return doc;
}

}  // namespace impd::simple
