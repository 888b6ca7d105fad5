// SIP-date (RFC 3261 §20.17 / RFC 2616 §3.3.1 rfc1123-date), for the Date header (headers.h).
#include <array>

#include "codec/sip/grammar.h"
#include "codec/sip/headers.h"

namespace impd::sip {

namespace {

constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<int> digits(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (!grammar::isDigit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool isLeap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
std::int64_t daysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

}  // namespace

Result<std::int64_t> parseDate(std::string_view value) {
  // "Sat, 13 Nov 2010 23:29:00 GMT": fixed positions, 29 characters.
  std::string_view v = grammar::trim(value);
  auto bad = [] { return grammar::badRequest("bad SIP-date"); };
  if (v.size() != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' || v[16] != ' ' ||
      v[19] != ':' || v[22] != ':' || v[25] != ' ' || v.substr(26) != "GMT") {
    return bad();
  }
  bool dayOk = false;
  for (auto d : kDays) dayOk = dayOk || v.substr(0, 3) == d;
  int month = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (v.substr(8, 3) == kMonths[i]) month = static_cast<int>(i) + 1;
  }
  auto day = digits(v.substr(5, 2));
  auto year = digits(v.substr(12, 4));
  auto hour = digits(v.substr(17, 2));
  auto minute = digits(v.substr(20, 2));
  auto second = digits(v.substr(23, 2));
  if (!dayOk || month == 0 || !day || !year || !hour || !minute || !second) return bad();
  static constexpr std::array<int, 12> kLength = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int monthLength = kLength[static_cast<std::size_t>(month - 1)] + (month == 2 && isLeap(*year));
  if (*day < 1 || *day > monthLength || *hour > 23 || *minute > 59 || *second > 60) return bad();
  return daysFromCivil(*year, month, *day) * 86400 + *hour * 3600 + *minute * 60 + *second;
}

}  // namespace impd::sip
