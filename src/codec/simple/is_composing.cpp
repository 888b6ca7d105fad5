#include "codec/simple/is_composing.h"

#include "codec/simple/namespaces.h"
#include "codec/simple/text.h"
#include "xml/element.h"
#include "xml/escape.h"
#include "xml/stream_parser.h"

namespace impd::simple {
namespace {

// Typing notices are a few hundred bytes; a tight bound costs nothing.
xml::Limits smallBody() {
  xml::Limits limits;
  limits.maxStanzaBytes = 8 * 1024;
  limits.maxDepth = 8;
  return limits;
}

std::string textOf(const xml::Element* e) {
  return e ? std::string(detail::trim(e->text())) : std::string();
}

}  // namespace

Result<IsComposing> parseIsComposing(std::string_view body) {
  xml::Element root;
  if (!xml::parseDocument(body, root, smallBody())) {
    return makeError("bad-request", "isComposing body is not well-formed XML");
  }
  // Matched by local name: the namespace is mandatory, but a missing one costs us nothing.
  if (root.name() != "isComposing") return makeError("bad-request", "root is not isComposing");
  const xml::Element* state = root.child("state");
  if (!state) return makeError("bad-request", "isComposing without <state>");
  IsComposing composing;
  composing.state =
      detail::iequals(textOf(state), "active") ? ComposingState::active : ComposingState::idle;
  composing.contentType = textOf(root.child("contenttype"));
  composing.lastActive = textOf(root.child("lastactive"));
  if (const xml::Element* refresh = root.child("refresh")) {
    composing.refresh = detail::parseUnsigned(textOf(refresh), 86400);
  }
  return composing;
}

std::string buildIsComposing(const IsComposing& composing) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<isComposing xmlns=\"";
  out.append(kIsComposingNs).append("\">");
  out.append("<state>")
      .append(composing.state == ComposingState::active ? "active" : "idle")
      .append("</state>");
  if (!composing.lastActive.empty()) {
    out.append("<lastactive>");
    xml::appendEscapedText(out, composing.lastActive);
    out.append("</lastactive>");
  }
  if (!composing.contentType.empty()) {
    out.append("<contenttype>");
    xml::appendEscapedText(out, composing.contentType);
    out.append("</contenttype>");
  }
  if (composing.refresh)
    out.append("<refresh>").append(std::to_string(*composing.refresh)).append("</refresh>");
  out.append("</isComposing>\n");
  return out;
}

Result<ComposingState> parseKeyboardActivity(std::string_view body) {
  xml::Element root;
  if (!xml::parseDocument(body, root, smallBody())) {
    return makeError("bad-request", "KeyboardActivity body is not well-formed XML");
  }
  if (root.name() != "KeyboardActivity") {
    return makeError("bad-request", "root is not KeyboardActivity");
  }
  const xml::Element* status = root.child("status");
  std::string_view value = status ? detail::trim(status->attr("status")) : std::string_view{};
  if (detail::iequals(value, "type")) return ComposingState::active;
  if (detail::iequals(value, "idle")) return ComposingState::idle;
  return makeError("bad-request", "KeyboardActivity status is neither type nor idle");
}

std::string buildKeyboardActivity(ComposingState state) {
  return state == ComposingState::active
             ? "<KeyboardActivity><status status=\"type\"/></KeyboardActivity>"
             : "<KeyboardActivity><status status=\"idle\"/></KeyboardActivity>";
}

}  // namespace impd::simple
