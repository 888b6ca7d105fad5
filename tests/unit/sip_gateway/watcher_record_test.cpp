// The stored form of a SIP watcher's subscription: what is written reads back the same, and a
// damaged row is refused rather than resumed half-known.
#include "sip_gateway/watcher_record.h"

#include <gtest/gtest.h>

namespace impd::sip_gateway {
namespace {

WatcherRecord sample() {
  WatcherRecord r;
  r.dialog.id = {"c1@lync.test", "ourtag", "theirtag"};
  r.dialog.secure = true;
  r.dialog.local = "<sip:alice@imp.test>;tag=ourtag";
  r.dialog.remote = "\"Bob\" <sip:bob@lync.test>;tag=theirtag";
  r.dialog.target = "sip:bob@10.0.0.1:5061;transport=tls";
  r.dialog.localContact = "<sip:imp.test:5061;transport=tls>";
  r.dialog.routes = {"<sip:edge.lync.test;lr>", "<sip:pool.lync.test;lr>"};
  r.dialog.localSeq = 7;
  r.dialog.remoteSeq = 3;
  r.event = "presence;id=42";
  r.sight = "authorized";
  r.expires = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  return r;
}

TEST(WatcherRecord, ReadsBackWhatWasWritten) {
  const WatcherRecord r = sample();
  auto back = readWatcherRecord(writeWatcherRecord(r));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->dialog.id, r.dialog.id);
  EXPECT_EQ(back->dialog.secure, true);
  EXPECT_EQ(back->dialog.early, false);
  EXPECT_EQ(back->dialog.local, r.dialog.local);
  EXPECT_EQ(back->dialog.remote, r.dialog.remote);
  EXPECT_EQ(back->dialog.target, r.dialog.target);
  EXPECT_EQ(back->dialog.localContact, r.dialog.localContact);
  EXPECT_EQ(back->dialog.routes, r.dialog.routes);
  EXPECT_EQ(back->dialog.localSeq, 7u);
  EXPECT_EQ(back->dialog.remoteSeq, 3u);
  EXPECT_EQ(back->event, r.event);
  EXPECT_EQ(back->sight, "authorized");
  EXPECT_EQ(back->expires, r.expires);
}

TEST(WatcherRecord, SequenceNumbersMayBeAbsent) {
  WatcherRecord r = sample();
  r.dialog.remoteSeq.reset();
  auto back = readWatcherRecord(writeWatcherRecord(r));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->dialog.remoteSeq);
}

TEST(WatcherRecord, DamagedRowsAreRefused) {
  for (const char* bad : {"", "[]", "{", "{\"call_id\":\"c\"}", "null",
                          "{\"call_id\":\"c\",\"local\":\"l\",\"remote\":\"r\",\"target\":\"t\","
                          "\"event\":\"presence\"}"}) {
    auto r = readWatcherRecord(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().condition, "bad-request");
    }
  }
}

TEST(WatcherRecord, OutOfRangeSequenceNumbersAreDropped) {
  std::string text = writeWatcherRecord(sample());
  text.replace(text.find("\"local_seq\":7"), 13, "\"local_seq\":-5");
  auto back = readWatcherRecord(text);
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->dialog.localSeq);
}

}  // namespace
}  // namespace impd::sip_gateway
