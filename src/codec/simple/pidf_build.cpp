// Writing PIDF (pidf.h). The document is written by hand rather than through xml::serialize so
// that it carries the conventional dm:/rpid:/c: prefixes: some SIMPLE implementations match
// on them, and every peer's samples use them.
#include <algorithm>
#include <array>
#include <charconv>

#include "codec/simple/namespaces.h"
#include "codec/simple/pidf.h"
#include "codec/simple/rpid.h"
#include "xml/escape.h"

namespace impd::simple {
namespace {

constexpr std::string_view kDefaultTupleId = "t1";
constexpr std::string_view kPersonId = "p1";

bool isAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}

// A conservative (ASCII) subset of XML's NCName, which a tuple id must be.
bool isXmlId(std::string_view id) {
  if (id.empty() || id.size() > 64 || !(isAsciiLetter(id[0]) || id[0] == '_')) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return isAsciiLetter(c) || isAsciiDigit(c) || c == '_' || c == '-' || c == '.';
  });
}

// RFC 3986 scheme ":" before anything else; otherwise the entity is a bare user@domain.
bool hasScheme(std::string_view uri) {
  std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0 || !isAsciiLetter(uri[0])) return false;
  return std::all_of(uri.begin(), uri.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return isAsciiLetter(c) || isAsciiDigit(c) || c == '+' || c == '-' || c == '.';
  });
}

std::string formatPriority(double priority) {
  if (!(priority >= 0.0)) priority = 0.0;  // negative, or NaN
  if (priority > 1.0) priority = 1.0;
  std::array<char, 16> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), priority,
                                 std::chars_format::fixed, 3);
  if (ec != std::errc()) return "0";
  return std::string(buffer.data(), end);
}

void appendTextElement(std::string& out, std::string_view name, std::string_view text) {
  out.append("<").append(name).append(">");
  xml::appendEscapedText(out, text);
  out.append("</").append(name).append(">\n");
}

}  // namespace

std::string buildPidf(const PresenceDocument& doc) {
  const presence::Availability availability = availabilityOf(doc);
  const bool open = availability != presence::Availability::offline;
  const RpidSpelling spelling = open ? rpidSpellingFor(availability) : RpidSpelling{};
  const bool idle = open && (spelling.idle || doc.idle.value_or(false));
  const bool active = open && !idle && doc.idle == false;
  const bool hasActivities = !spelling.activity.empty() || !spelling.other.empty();
  const bool hasPerson = hasActivities || idle || active || !doc.displayName.empty();

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out.append("<presence xmlns=\"").append(kPidfNs).append("\"");
  if (hasPerson) {
    out.append(" xmlns:dm=\"").append(kDataModelNs).append("\"");
    out.append(" xmlns:rpid=\"").append(kRpidNs).append("\"");
  }
  if (!doc.displayName.empty()) out.append(" xmlns:c=\"").append(kCipidNs).append("\"");
  out.append(" entity=\"");
  xml::appendEscapedAttr(out, hasScheme(doc.entity) ? doc.entity : "pres:" + doc.entity);
  out.append("\">\n");

  out.append("<tuple id=\"").append(isXmlId(doc.tupleId) ? doc.tupleId : kDefaultTupleId);
  out.append("\">\n<status><basic>").append(open ? "open" : "closed").append("</basic></status>\n");
  if (!doc.contact.empty()) {
    out.append("<contact");
    if (doc.priority) out.append(" priority=\"").append(formatPriority(*doc.priority)).append("\"");
    out.append(">");
    xml::appendEscapedText(out, doc.contact);
    out.append("</contact>\n");
  }
  if (!doc.note.empty()) appendTextElement(out, "note", doc.note);
  if (doc.timestamp && !doc.timestamp->empty()) appendTextElement(out, "timestamp", *doc.timestamp);
  out.append("</tuple>\n");

  if (hasPerson) {
    out.append("<dm:person id=\"").append(kPersonId).append("\">\n");
    if (hasActivities) {
      out.append("<rpid:activities>");
      if (!spelling.activity.empty()) out.append("<rpid:").append(spelling.activity).append("/>");
      if (!spelling.other.empty()) {
        out.append("<rpid:other>").append(spelling.other).append("</rpid:other>");
      }
      out.append("</rpid:activities>\n");
    }
    if (idle) out.append("<rpid:user-input>idle</rpid:user-input>\n");
    if (active) out.append("<rpid:user-input>active</rpid:user-input>\n");
    if (!doc.displayName.empty()) appendTextElement(out, "c:display-name", doc.displayName);
    out.append("</dm:person>\n");
  }
  out.append("</presence>\n");
  return out;
}

std::string buildOfflinePidf(std::string_view entity) {
  PresenceDocument doc;
  doc.entity = entity;
  doc.open = false;
  return buildPidf(doc);
}

}  // namespace impd::simple
