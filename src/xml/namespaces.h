#pragma once
// Namespace names the XML layer itself has to know about.
#include <string_view>

namespace impd::xml {

inline constexpr std::string_view kStreamNs = "http://etherx.jabber.org/streams";
// The namespace bound to the reserved "xml" prefix; attributes in it are stored "uri|local".
inline constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
inline constexpr std::string_view kXmlLang = "http://www.w3.org/XML/1998/namespace|lang";
// The namespace of xmlns declarations themselves; nothing may be written in it.
inline constexpr std::string_view kXmlnsNs = "http://www.w3.org/2000/xmlns/";

}  // namespace impd::xml
