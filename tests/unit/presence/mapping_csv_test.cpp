// Every cell of the seed's availability tables 1-10, read from availability-tables.csv, is its
// own test case against mapAvailability().
#include <gtest/gtest.h>

#include <charconv>
#include <compare>
#include <fstream>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "codec/presence/mapping_table.h"
#include "codec/presence/profile.h"

namespace impd::presence {
namespace {

// The CSV writes "<state>" or "<state>|status=<text>".
constexpr std::string_view kStatusMark = "|status=";
// The CSV's words for "the source user's own status message" (table 7's rich client).
constexpr std::string_view kOwnMessage = "(the user's own message)";

struct CsvRow {
  int line = 0;
  int table = 0;
  std::string from, fromState, to, toState;
};

// Failures name the CSV line rather than dumping the row's bytes.
void PrintTo(const CsvRow& row, std::ostream* os) {
  *os << "line " << row.line << ": " << row.table << "," << row.from << "," << row.fromState << ","
      << row.to << "," << row.toState;
}

struct StateText {
  std::string state;
  std::string status;
};

StateText splitState(const std::string& text) {
  const auto mark = text.find(kStatusMark);
  if (mark == std::string::npos) return {text, {}};
  return {text.substr(0, mark), text.substr(mark + kStatusMark.size())};
}

std::vector<std::string> splitFields(const std::string& line) {
  std::vector<std::string> fields(1);
  for (char c : line) {
    if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::vector<CsvRow> loadCsv() {
  std::vector<CsvRow> rows;
  std::ifstream in(IMPD_AVAILABILITY_CSV);
  std::string line;
  bool header = true;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.front() == '#') continue;
    if (header) {  // table,from_system,from_state,to_system,to_state
      header = false;
      continue;
    }
    const auto fields = splitFields(line);
    CsvRow row;
    row.line = number;
    const auto& table = fields[0];
    if (fields.size() == 5 &&
        std::from_chars(table.data(), table.data() + table.size(), row.table).ec == std::errc{}) {
      row.from = fields[1];
      row.fromState = fields[2];
      row.to = fields[3];
      row.toState = fields[4];
    }
    rows.push_back(row);  // a malformed line stays, and fails its own test case
  }
  return rows;
}

const std::vector<CsvRow>& csvRows() {
  static const std::vector<CsvRow> rows = loadCsv();
  return rows;
}

struct Key {
  System from;
  Availability state;
  System to;
  auto operator<=>(const Key&) const = default;
};

// The (from, canonical state, to) a CSV row is about; nullopt if a name is not ours.
std::optional<Key> keyOf(const CsvRow& row) {
  const auto from = parseSystem(row.from);
  const auto to = parseSystem(row.to);
  const auto [stateName, status] = splitState(row.fromState);
  const auto shown = parseAvailability(stateName);
  if (!from || !to || !shown) return std::nullopt;
  return Key{*from, canonicalFromPeer(*from, *shown, status), *to};
}

class AvailabilityTableRow : public testing::TestWithParam<CsvRow> {};

TEST_P(AvailabilityTableRow, MapsAsTheSeedSays) {
  const CsvRow& row = GetParam();
  SCOPED_TRACE("availability-tables.csv line " + std::to_string(row.line));
  const auto key = keyOf(row);
  ASSERT_TRUE(key) << "unknown system or state name";

  const auto mapped = mapAvailability(key->from, key->state, key->to);
  ASSERT_TRUE(mapped) << "no cell for this row";
  EXPECT_EQ(mapped->table, row.table);

  const auto [stateName, status] = splitState(row.toState);
  const auto expected = parseAvailability(stateName);
  ASSERT_TRUE(expected) << "unknown target state " << stateName;
  EXPECT_EQ(availabilityName(mapped->state), availabilityName(*expected));
  if (status == kOwnMessage) {
    EXPECT_TRUE(mapped->peerStatus);
    EXPECT_EQ(mapped->status, "");
  } else {
    EXPECT_FALSE(mapped->peerStatus);
    EXPECT_EQ(mapped->status, status);
  }
}

std::string testName(const testing::TestParamInfo<CsvRow>& info) {
  const CsvRow& row = info.param;
  std::string name = "line" + std::to_string(row.line) + "_table" + std::to_string(row.table) +
                     "_" + row.from + "_" + row.fromState + "_to_" + row.to;
  for (char& c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!keep) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Seed, AvailabilityTableRow, testing::ValuesIn(csvRows()), testName);

TEST(AvailabilityTables, CsvAndTableHaveTheSameNumberOfRows) {
  ASSERT_FALSE(csvRows().empty()) << "cannot read " << IMPD_AVAILABILITY_CSV;
  EXPECT_EQ(csvRows().size(), data::kMappingRowCount);
  EXPECT_EQ(mappingRows().size(), data::kMappingRowCount);
}

// With the same count, distinct keys make the CSV and the table one-to-one.
TEST(AvailabilityTables, EveryCsvRowIsADifferentCell) {
  std::set<Key> keys;
  for (const auto& row : csvRows()) {
    const auto key = keyOf(row);
    ASSERT_TRUE(key) << "line " << row.line;
    EXPECT_TRUE(keys.insert(*key).second) << "line " << row.line << " repeats a cell";
  }
}

TEST(AvailabilityTables, RowsKeepTheSeedsTableOrder) {
  int table = 1;
  for (const auto& row : mappingRows()) {
    EXPECT_GE(row.table, table);
    table = row.table;
  }
  EXPECT_EQ(table, 10);
}

}  // namespace
}  // namespace impd::presence
