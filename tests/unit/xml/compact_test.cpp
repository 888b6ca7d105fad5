// compact(): an idle stream gives its expat parser back and rebuilds it transparently.
#include <gtest/gtest.h>

#include "recorder.h"

namespace impd::xml {
namespace {

using test::kClientHeader;
using test::Recorder;

TEST(XmlCompact, StreamContinuesAfterCompaction) {
  const std::string s2sHeader =
      "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
      "xmlns:db='jabber:server:dialback' to='b.example' version='1.0'>";
  const std::string rest =
      "<db:result from='a.example' to='b.example'>key</db:result>"
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>"
      "<message to='x@b.example'><body>hi</body></message></stream:stream>";
  Recorder whole;
  ASSERT_EQ(test::feedAll(s2sHeader + rest, whole), StreamViolation::kNone);

  Recorder r;
  StreamParser parser;
  EXPECT_FALSE(parser.compact());  // nothing to free yet
  ASSERT_EQ(parser.feed(s2sHeader, r), StreamViolation::kNone);
  for (std::size_t i = 0; i < rest.size(); i += 5) {
    parser.compact();  // succeeds only where the stream is between stanzas
    ASSERT_EQ(parser.feed(std::string_view(rest).substr(i, 5), r), StreamViolation::kNone);
  }
  EXPECT_EQ(r.events, whole.events);
  EXPECT_EQ(r.headers.size(), 1u);
  ASSERT_EQ(r.stanzas.size(), 3u);
  EXPECT_TRUE(r.stanzas[0].is("result", "jabber:server:dialback"));
  EXPECT_TRUE(r.stanzas[1].is("features", "http://etherx.jabber.org/streams"));
  EXPECT_TRUE(r.stanzas[2].is("message", "jabber:server"));
}

TEST(XmlCompact, OnlyBetweenStanzas) {
  Recorder r;
  StreamParser parser;
  ASSERT_EQ(parser.feed(kClientHeader, r), StreamViolation::kNone);
  EXPECT_TRUE(parser.compact());
  EXPECT_TRUE(parser.compact());  // already compact: still fine
  ASSERT_EQ(parser.feed("<message><body>half", r), StreamViolation::kNone);
  EXPECT_FALSE(parser.compact());
  ASSERT_EQ(parser.feed("</body></message><pres", r), StreamViolation::kNone);
  EXPECT_FALSE(parser.compact());  // a partial tag is pending
  ASSERT_EQ(parser.feed("ence/>", r), StreamViolation::kNone);
  EXPECT_TRUE(parser.compact());
  EXPECT_EQ(r.stanzas.size(), 2u);
  // Limits and violations still apply after a rebuild.
  EXPECT_EQ(parser.feed("<!-- -->", r), StreamViolation::kRestrictedXml);
  EXPECT_FALSE(parser.compact());
}

TEST(XmlCompact, NotInsideCallbacks) {
  Recorder r;
  StreamParser parser;
  bool compacted = true;
  r.afterStanza = [&](const Element&) { compacted = parser.compact(); };
  ASSERT_EQ(parser.feed(std::string(kClientHeader) + "<presence/><presence/>", r),
            StreamViolation::kNone);
  EXPECT_FALSE(compacted);
  EXPECT_EQ(r.stanzas.size(), 2u);
}

TEST(XmlCompact, ResetAfterCompaction) {
  Recorder r;
  StreamParser parser;
  ASSERT_EQ(parser.feed(kClientHeader, r), StreamViolation::kNone);
  ASSERT_TRUE(parser.compact());
  parser.reset();
  ASSERT_EQ(parser.feed(std::string(kClientHeader) + "<presence/>", r), StreamViolation::kNone);
  EXPECT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.stanzas.size(), 1u);
}

}  // namespace
}  // namespace impd::xml
