#pragma once
// XML namespaces and MIME types of the SIMPLE bodies, in one place so that parsers, builders
// and the SIP layer that picks a body by its Content-Type spell them the same way.
#include <string_view>

namespace impd::simple {

// PIDF (RFC 3863), its data model (RFC 4479), RPID (RFC 4480), CIPID (RFC 4482) and
// isComposing (RFC 3994).
inline constexpr std::string_view kPidfNs = "urn:ietf:params:xml:ns:pidf";
inline constexpr std::string_view kDataModelNs = "urn:ietf:params:xml:ns:pidf:data-model";
inline constexpr std::string_view kRpidNs = "urn:ietf:params:xml:ns:pidf:rpid";
inline constexpr std::string_view kCipidNs = "urn:ietf:params:xml:ns:pidf:cipid";
inline constexpr std::string_view kIsComposingNs = "urn:ietf:params:xml:ns:im-iscomposing";

inline constexpr std::string_view kPidfType = "application/pidf+xml";
inline constexpr std::string_view kSdpType = "application/sdp";
inline constexpr std::string_view kIsComposingType = "application/im-iscomposing+xml";
// Lync's typing notification travels in an INFO with this generic type.
inline constexpr std::string_view kKeyboardActivityType = "application/xml";

}  // namespace impd::simple
