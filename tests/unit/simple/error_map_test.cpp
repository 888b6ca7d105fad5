// RFC 7247 section 8 error mapping, every row both ways.
#include "codec/simple/error_map.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace impd::simple {
namespace {

TEST(ErrorMap, XmppToSipEveryRow) {
  const std::tuple<std::string_view, int, int> expected[] = {
      {"bad-request", 400, 0},
      {"conflict", 400, 0},
      {"feature-not-implemented", 501, 0},
      {"forbidden", 403, 0},
      {"gone", 410, 301},
      {"internal-server-error", 500, 0},
      {"item-not-found", 404, 0},
      {"jid-malformed", 400, 0},
      {"not-acceptable", 406, 0},
      {"not-allowed", 405, 0},
      {"not-authorized", 401, 0},
      {"policy-violation", 403, 0},
      {"recipient-unavailable", 480, 0},
      {"redirect", 302, 0},
      {"registration-required", 400, 0},
      {"remote-server-not-found", 404, 0},
      {"remote-server-timeout", 408, 0},
      {"resource-constraint", 500, 0},
      {"service-unavailable", 503, 0},
      {"subscription-required", 400, 0},
      {"undefined-condition", 400, 0},
      {"unexpected-request", 491, 400},
  };
  ASSERT_EQ(xmppToSipRows().size(), std::size(expected));
  for (const auto& [condition, status, alternative] : expected) {
    EXPECT_EQ(sipStatusForXmppError(condition), status) << condition;
    const XmppToSipRow* row = findXmppToSip(condition);
    ASSERT_NE(row, nullptr) << condition;
    EXPECT_EQ(row->alternative, alternative) << condition;
  }
}

TEST(ErrorMap, UnknownXmppConditionIsUndefinedCondition) {
  EXPECT_EQ(sipStatusForXmppError("no-such-condition"), 400);
  EXPECT_EQ(sipStatusForXmppError(""), 400);
  EXPECT_EQ(findXmppToSip("no-such-condition"), nullptr);
}

TEST(ErrorMap, SipToXmppEveryRow) {
  const std::tuple<int, std::string_view> expected[] = {
      {300, "redirect"},
      {301, "gone"},
      {302, "redirect"},
      {305, "redirect"},
      {380, "redirect"},
      {400, "bad-request"},
      {401, "not-authorized"},
      {402, "bad-request"},
      {403, "forbidden"},
      {404, "item-not-found"},
      {405, "not-allowed"},
      {406, "not-acceptable"},
      {407, "not-authorized"},
      {408, "remote-server-timeout"},
      {410, "gone"},
      {413, "policy-violation"},
      {414, "policy-violation"},
      {415, "bad-request"},
      {416, "bad-request"},
      {420, "bad-request"},
      {421, "bad-request"},
      {423, "bad-request"},
      {480, "recipient-unavailable"},
      {481, "item-not-found"},
      {482, "not-acceptable"},
      {483, "not-acceptable"},
      {484, "item-not-found"},
      {485, "item-not-found"},
      {486, "recipient-unavailable"},
      {487, "service-unavailable"},
      {488, "not-acceptable"},
      {489, "policy-violation"},
      {491, "unexpected-request"},
      {493, "bad-request"},
      {500, "internal-server-error"},
      {501, "feature-not-implemented"},
      {502, "remote-server-not-found"},
      {503, "service-unavailable"},
      {504, "remote-server-timeout"},
      {505, "not-acceptable"},
      {600, "service-unavailable"},
      {603, "service-unavailable"},
      {604, "item-not-found"},
      {606, "not-acceptable"},
  };
  ASSERT_EQ(sipToXmppRows().size(), std::size(expected));
  for (const auto& [status, condition] : expected) {
    EXPECT_EQ(xmppErrorForSipStatus(status), condition) << status;
  }
}

TEST(ErrorMap, ClassFallbacks) {
  EXPECT_EQ(xmppErrorForSipStatus(399), "redirect");
  EXPECT_EQ(xmppErrorForSipStatus(409), "bad-request");
  EXPECT_EQ(xmppErrorForSipStatus(422), "bad-request");
  EXPECT_EQ(xmppErrorForSipStatus(499), "bad-request");
  EXPECT_EQ(xmppErrorForSipStatus(513), "internal-server-error");
  EXPECT_EQ(xmppErrorForSipStatus(580), "internal-server-error");
  EXPECT_EQ(xmppErrorForSipStatus(699), "service-unavailable");
  EXPECT_EQ(xmppErrorForSipStatus(607), "service-unavailable");
  for (int notAnError : {-1, 0, 100, 180, 200, 299, 700, 1000}) {
    EXPECT_EQ(xmppErrorForSipStatus(notAnError), "undefined-condition") << notAnError;
  }
}

TEST(ErrorMap, EveryXmppConditionComesBackFromItsOwnStatusWhereUnambiguous) {
  // Conditions whose SIP status maps straight back to them: the tables agree with each other.
  const std::set<std::string_view> symmetric = {
      "bad-request",           "feature-not-implemented", "forbidden",      "gone",
      "internal-server-error", "item-not-found",          "not-acceptable", "not-allowed",
      "not-authorized",        "recipient-unavailable",   "redirect",       "remote-server-timeout",
      "service-unavailable",   "unexpected-request"};
  for (const auto& row : xmppToSipRows()) {
    if (!symmetric.count(row.condition)) continue;
    EXPECT_EQ(xmppErrorForSipStatus(row.status), row.condition) << row.condition;
  }
}

}  // namespace
}  // namespace impd::simple
