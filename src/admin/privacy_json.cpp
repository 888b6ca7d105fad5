#include "admin/privacy_json.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "codec/xmpp/jid.h"

namespace impd::admin {

namespace json = boost::json;

namespace {

Error bad(std::string message) { return Error{"bad-request", std::move(message)}; }

// A string member, or `fallback` when absent; an error when present but not a string.
Result<std::string> stringField(const json::object& o, std::string_view key, std::string fallback,
                                const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return fallback;
  if (!v->is_string()) return bad(where + std::string(key) + ": must be a string");
  return std::string(v->as_string());
}

Result<storage::PolicyEntry> entryFromJson(const json::value& v, std::size_t index) {
  const std::string where = "entries[" + std::to_string(index) + "].";
  if (!v.is_object()) return bad("entries[" + std::to_string(index) + "]: must be an object");
  const json::object& o = v.as_object();
  for (const auto& member : o) {
    if (member.key() != "jid" && member.key() != "action" && member.key() != "scope") {
      return bad(where + std::string(member.key()) + ": unknown field");
    }
  }
  auto jidText = stringField(o, "jid", "", where);
  if (!jidText) return jidText.error();
  auto jid = xmpp::Jid::parse(*jidText);
  if (!jid) return bad(where + "jid: not a JID or domain: " + *jidText);
  auto actionText = stringField(o, "action", "", where);
  if (!actionText) return actionText.error();
  auto action = storage::parseAction(*actionText);
  if (!action) return bad(where + "action: must be \"allow\" or \"block\"");
  auto scopeText = stringField(o, "scope", "all", where);
  if (!scopeText) return scopeText.error();
  auto scope = storage::parseScope(*scopeText);
  if (!scope) return bad(where + "scope: must be \"all\" or \"presence\"");
  if (*action == storage::PolicyAction::kAllow && *scope != storage::PolicyScope::kAll) {
    return bad(where + "scope: an allow entry always has scope \"all\"");
  }
  return storage::PolicyEntry{jid->str(), *action, *scope};
}

}  // namespace

std::string privacyToJson(const std::string& user, const storage::PrivacyPolicy& policy) {
  json::array entries;
  for (const auto& e : policy.entries) {
    entries.push_back(json::object{{"jid", e.jid},
                                   {"action", storage::actionName(e.action)},
                                   {"scope", storage::scopeName(e.scope)}});
  }
  json::object root{{"jid", user},
                    {"federated_default", storage::watcherDefaultName(policy.federatedDefault)},
                    {"list_name", policy.listName},
                    {"entries", std::move(entries)}};
  return json::serialize(root);
}

Result<storage::PrivacyPolicy> privacyFromJson(std::string_view body) {
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  if (ec) return bad("the body is not JSON: " + ec.message());
  if (!root.is_object()) return bad("the body must be a JSON object");
  const json::object& o = root.as_object();
  for (const auto& member : o) {
    const auto key = member.key();
    if (key != "jid" && key != "federated_default" && key != "list_name" && key != "entries") {
      return bad(std::string(key) + ": unknown field");
    }
  }
  storage::PrivacyPolicy policy;
  auto def = stringField(o, "federated_default", "ask", "");
  if (!def) return def.error();
  auto parsedDefault = storage::parseWatcherDefault(*def);
  if (!parsedDefault) return bad("federated_default: must be \"ask\", \"allow\" or \"block\"");
  policy.federatedDefault = *parsedDefault;
  auto name = stringField(o, "list_name", policy.listName, "");
  if (!name) return name.error();
  if (name->empty() || name->size() > 256) return bad("list_name: must be 1 to 256 characters");
  policy.listName = std::move(*name);
  if (const json::value* entries = o.if_contains("entries")) {
    if (!entries->is_array()) return bad("entries: must be an array");
    const json::array& list = entries->as_array();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto entry = entryFromJson(list[i], i);
      if (!entry) return entry.error();
      if (!seen.insert(entry->jid).second) {
        return bad("entries[" + std::to_string(i) + "].jid: " + entry->jid + " is listed twice");
      }
      policy.entries.push_back(std::move(*entry));
    }
  }
  std::sort(policy.entries.begin(), policy.entries.end(),
            [](const auto& a, const auto& b) { return a.jid < b.jid; });
  return policy;
}

}  // namespace impd::admin
