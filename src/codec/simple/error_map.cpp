#include "codec/simple/error_map.h"

#include <algorithm>
#include <array>

namespace impd::simple {
namespace {

// Transcribed from the project's protocol notes, section 1.3, which recall RFC 7247 section 8.
// UNVERIFIED: the RFC body could not be read while writing this, so every row still needs
// checking against RFC 7247 section 8; first of all the rows marked "least certain" below and
// the two `alternative` codes (gone -> 301, unexpected-request -> 400). XEP-0086's legacy codes
// are no check: they are HTTP-style codes for old Jabber clients, not SIP responses.
// clang-format off
constexpr std::array kXmppToSip{
    XmppToSipRow{"bad-request", 400, 0},
    XmppToSipRow{"conflict", 400, 0},
    XmppToSipRow{"feature-not-implemented", 501, 0},
    XmppToSipRow{"forbidden", 403, 0},
    XmppToSipRow{"gone", 410, 301},
    XmppToSipRow{"internal-server-error", 500, 0},
    XmppToSipRow{"item-not-found", 404, 0},
    XmppToSipRow{"jid-malformed", 400, 0},
    XmppToSipRow{"not-acceptable", 406, 0},
    XmppToSipRow{"not-allowed", 405, 0},
    XmppToSipRow{"not-authorized", 401, 0},
    XmppToSipRow{"policy-violation", 403, 0},
    XmppToSipRow{"recipient-unavailable", 480, 0},
    XmppToSipRow{"redirect", 302, 0},
    XmppToSipRow{"registration-required", 400, 0},
    XmppToSipRow{"remote-server-not-found", 404, 0},
    XmppToSipRow{"remote-server-timeout", 408, 0},
    XmppToSipRow{"resource-constraint", 500, 0},
    XmppToSipRow{"service-unavailable", 503, 0},
    XmppToSipRow{"subscription-required", 400, 0},
    XmppToSipRow{"undefined-condition", 400, 0},
    XmppToSipRow{"unexpected-request", 491, 400},
};

constexpr std::array kSipToXmpp{
    SipToXmppRow{300, "redirect"},
    SipToXmppRow{301, "gone"},
    SipToXmppRow{302, "redirect"},
    SipToXmppRow{305, "redirect"},
    SipToXmppRow{380, "redirect"},
    SipToXmppRow{400, "bad-request"},
    SipToXmppRow{401, "not-authorized"},
    SipToXmppRow{402, "bad-request"},
    SipToXmppRow{403, "forbidden"},
    SipToXmppRow{404, "item-not-found"},
    SipToXmppRow{405, "not-allowed"},
    SipToXmppRow{406, "not-acceptable"},
    SipToXmppRow{407, "not-authorized"},         // least certain
    SipToXmppRow{408, "remote-server-timeout"},
    SipToXmppRow{410, "gone"},
    SipToXmppRow{413, "policy-violation"},
    SipToXmppRow{414, "policy-violation"},
    SipToXmppRow{415, "bad-request"},
    SipToXmppRow{416, "bad-request"},
    SipToXmppRow{420, "bad-request"},
    SipToXmppRow{421, "bad-request"},
    SipToXmppRow{423, "bad-request"},
    SipToXmppRow{480, "recipient-unavailable"},
    SipToXmppRow{481, "item-not-found"},
    SipToXmppRow{482, "not-acceptable"},
    SipToXmppRow{483, "not-acceptable"},
    SipToXmppRow{484, "item-not-found"},
    SipToXmppRow{485, "item-not-found"},
    SipToXmppRow{486, "recipient-unavailable"},  // least certain
    SipToXmppRow{487, "service-unavailable"},    // least certain
    SipToXmppRow{488, "not-acceptable"},
    SipToXmppRow{489, "policy-violation"},       // least certain
    SipToXmppRow{491, "unexpected-request"},
    SipToXmppRow{493, "bad-request"},
    SipToXmppRow{500, "internal-server-error"},
    SipToXmppRow{501, "feature-not-implemented"},
    SipToXmppRow{502, "remote-server-not-found"},
    SipToXmppRow{503, "service-unavailable"},
    SipToXmppRow{504, "remote-server-timeout"},
    SipToXmppRow{505, "not-acceptable"},
    SipToXmppRow{600, "service-unavailable"},    // least certain
    SipToXmppRow{603, "service-unavailable"},    // least certain
    SipToXmppRow{604, "item-not-found"},
    SipToXmppRow{606, "not-acceptable"},
};

// Fallback per response class, used for codes without a row of their own.
constexpr std::array kClassFallback{
    SipToXmppRow{3, "redirect"},
    SipToXmppRow{4, "bad-request"},
    SipToXmppRow{5, "internal-server-error"},
    SipToXmppRow{6, "service-unavailable"},
};
// clang-format on

constexpr bool sortedByStatus() {
  for (std::size_t i = 1; i < kSipToXmpp.size(); ++i) {
    if (kSipToXmpp[i - 1].status >= kSipToXmpp[i].status) return false;
  }
  return true;
}
static_assert(sortedByStatus(), "kSipToXmpp must be sorted by status, without duplicates");

}  // namespace

const XmppToSipRow* findXmppToSip(std::string_view condition) {
  auto row = std::find_if(kXmppToSip.begin(), kXmppToSip.end(),
                          [&](const XmppToSipRow& r) { return r.condition == condition; });
  return row == kXmppToSip.end() ? nullptr : &*row;
}

int sipStatusForXmppError(std::string_view condition) {
  const XmppToSipRow* row = findXmppToSip(condition);
  if (!row) row = findXmppToSip("undefined-condition");
  return row->status;
}

std::string_view xmppErrorForSipStatus(int status) {
  auto row = std::lower_bound(kSipToXmpp.begin(), kSipToXmpp.end(), status,
                              [](const SipToXmppRow& r, int s) { return r.status < s; });
  if (row != kSipToXmpp.end() && row->status == status) return row->condition;
  if (status < 300 || status > 699) return "undefined-condition";
  for (const auto& fallback : kClassFallback) {
    if (fallback.status == status / 100) return fallback.condition;
  }
  return "undefined-condition";  // unreachable: every class 3..6 has a fallback
}

std::span<const XmppToSipRow> xmppToSipRows() {
  return kXmppToSip;
}
std::span<const SipToXmppRow> sipToXmppRows() {
  return kSipToXmpp;
}

}  // namespace impd::simple
