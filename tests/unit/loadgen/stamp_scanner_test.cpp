#include "stamp_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace impd::loadgen {
namespace {

std::vector<std::int64_t> scanInPieces(const std::string& stream, std::size_t piece) {
  StampScanner scanner;
  std::vector<std::int64_t> found;
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    scanner.feed(std::string_view(stream).substr(at, piece), [&](std::int64_t v) { found.push_back(v); });
  }
  return found;
}

const std::string kTwoPresences =
    "<presence from='u0@imp.test/loadgen' to='u1@imp.test/loadgen'><show>away</show>"
    "<status>t1234567890123</status></presence>"
    "<presence xmlns=\"jabber:client\" from=\"u0@imp.test/x\"><status>t42</status><show>dnd</show></presence>";

TEST(StampScanner, FindsEveryStampWhereverTheReadsSplitThem) {
  for (std::size_t piece = 1; piece <= kTwoPresences.size(); ++piece) {
    EXPECT_EQ(scanInPieces(kTwoPresences, piece), (std::vector<std::int64_t>{1234567890123, 42})) << piece;
  }
}

TEST(StampScanner, IgnoresStatusesThatAreNotStamps) {
  const std::string stream = "<presence><status>tea time</status></presence><presence><status>back</status>"
                             "</presence><presence><status>t7</status></presence>";
  EXPECT_EQ(scanInPieces(stream, 5), (std::vector<std::int64_t>{7}));
}

TEST(StampScanner, DropsAnUnfinishedMarkerThatNeverEnds) {
  // A marker whose text runs on without a tag is not kept for ever.
  const std::string stream = "<status>t" + std::string(500, '1') + "<status>t9</status>";
  EXPECT_EQ(scanInPieces(stream, 7), (std::vector<std::int64_t>{9}));
}

}  // namespace
}  // namespace impd::loadgen
