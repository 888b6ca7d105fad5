#pragma once
// A user's privacy policy as the admin API exchanges it:
//   {"federated_default": "ask" | "allow" | "block",
//    "list_name": "policy",
//    "entries": [{"jid": "eve@lync.test", "action": "block", "scope": "presence"}, ...]}
// "jid" is a user (bare or full JID) or a domain; "scope" is "all" (default) or "presence".
#include <string>
#include <string_view>

#include "base/result.h"
#include "storage/privacy.h"

namespace impd::admin {

std::string privacyToJson(const std::string& user, const storage::PrivacyPolicy& policy);
// Parses and checks a PUT body: every JID prepared, one entry per JID, known words only.
// Error condition "bad-request" with a message naming the field.
Result<storage::PrivacyPolicy> privacyFromJson(std::string_view body);

}  // namespace impd::admin
