#pragma once
// Entity capabilities (XEP-0115): the verification string a client's <c ver='...'/> must equal
// for the disco#info answer it stands for. The server caches what a ver string means only when
// the answer hashes to it, so one client cannot tell the server lies about another's features.
#include <optional>
#include <string>

#include "xml/element.h"

namespace impd::xmpp {

// XEP-0115 §5.1 with SHA-1: identities, features and extended forms (§5.4 order), base64.
// nullopt when the answer is malformed in a way §5.4 says to refuse (duplicate identities or
// features, a form without FORM_TYPE).
std::optional<std::string> capsVerification(const xml::Element& discoInfoQuery);

}  // namespace impd::xmpp
