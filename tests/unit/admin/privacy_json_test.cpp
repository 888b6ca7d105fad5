// The admin API's JSON for a privacy policy: what it accepts, what it refuses, and that what it
// writes reads back the same.
#include <gtest/gtest.h>

#include "admin/privacy_json.h"

namespace impd::admin {
namespace {

using storage::PolicyAction;
using storage::PolicyEntry;
using storage::PolicyScope;
using storage::WatcherDefault;

TEST(PrivacyJson, ReadsAFullPolicyAndPreparesJids) {
  auto p = privacyFromJson(R"({"federated_default": "block", "list_name": "work",
      "entries": [{"jid": "Eve@Lync.TEST", "action": "block", "scope": "presence"},
                  {"jid": "friend.test", "action": "allow"}]})");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->federatedDefault, WatcherDefault::kBlock);
  EXPECT_EQ(p->listName, "work");
  EXPECT_EQ(p->entries, (std::vector<PolicyEntry>{
                            {"eve@lync.test", PolicyAction::kBlock, PolicyScope::kPresence},
                            {"friend.test", PolicyAction::kAllow, PolicyScope::kAll}}));
}

TEST(PrivacyJson, MissingFieldsTakeTheDefaults) {
  auto p = privacyFromJson("{}");
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, storage::PrivacyPolicy{});
}

TEST(PrivacyJson, WhatItWritesReadsBack) {
  storage::PrivacyPolicy policy;
  policy.federatedDefault = WatcherDefault::kAllow;
  policy.entries = {{"a.test", PolicyAction::kBlock, PolicyScope::kAll},
                    {"b@c.test/desk", PolicyAction::kBlock, PolicyScope::kPresence}};
  auto again = privacyFromJson(privacyToJson("alice@imp.test", policy));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, policy);
}

TEST(PrivacyJson, RefusalsNameTheField) {
  struct Case {
    const char* body;
    const char* mentions;
  };
  for (const Case& c : {
           Case{"not json", "not JSON"},
           Case{"[]", "object"},
           Case{R"({"federated_default": "maybe"})", "federated_default"},
           Case{R"({"colour": "red"})", "colour"},
           Case{R"({"list_name": ""})", "list_name"},
           Case{R"({"entries": {}})", "entries"},
           Case{R"({"entries": [{"jid": "a.test", "action": "deny"}]})", "entries[0].action"},
           Case{R"({"entries": [{"jid": "@@", "action": "block"}]})", "entries[0].jid"},
           Case{R"({"entries": [{"jid": "a.test", "action": "block", "scope": "mail"}]})", "scope"},
           Case{R"({"entries": [{"jid": "a.test", "action": "allow", "scope": "presence"}]})", "scope"},
           Case{R"({"entries": [{"jid": "a.test", "action": "block", "why": 1}]})", "why"},
           Case{R"({"entries": [{"jid": 7, "action": "block"}]})", "jid"},
           Case{R"({"entries": [{"jid": "A.test", "action": "block"},
                                {"jid": "a.test", "action": "allow"}]})", "twice"},
       }) {
    auto p = privacyFromJson(c.body);
    ASSERT_FALSE(p) << c.body;
    EXPECT_EQ(p.error().condition, "bad-request");
    EXPECT_NE(p.error().message.find(c.mentions), std::string::npos)
        << c.body << " -> " << p.error().message;
  }
}

}  // namespace
}  // namespace impd::admin
