// Stream restarts (RFC 6120 §4.3.3): reset() from inside onStanza, as c2s does after
// STARTTLS <proceed/> and SASL <success/>.
#include <gtest/gtest.h>

#include "recorder.h"

namespace impd::xml {
namespace {

using test::kClientHeader;
using test::Recorder;

constexpr std::string_view kTlsNs = "urn:ietf:params:xml:ns:xmpp-tls";

TEST(XmlRestart, ResetInsideCallbackStartsAFreshStream) {
  Recorder r;
  StreamParser parser;
  r.afterStanza = [&](const Element& stanza) {
    if (stanza.is("starttls", kTlsNs)) parser.reset();
  };
  std::string first = std::string(kClientHeader) +
                      "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                      "\x16\x03\x01 these bytes would be the TLS ClientHello";
  EXPECT_EQ(parser.feed(first, r), StreamViolation::kNone);
  ASSERT_EQ(r.stanzas.size(), 1u);

  // The new stream starts with a new XML declaration and header.
  EXPECT_EQ(parser.feed(std::string(kClientHeader) + "<presence/>", r), StreamViolation::kNone);
  EXPECT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.stanzas.size(), 2u);
  EXPECT_EQ(parser.bytesSeen(), first.size() + kClientHeader.size() + 11);
}

TEST(XmlRestart, ResetInsideCallbackDropsTheRestOfEveryStanza) {
  Recorder r;
  StreamParser parser;
  r.afterStanza = [&](const Element&) { parser.reset(); };
  // After the restart trigger nothing of the old stream may be parsed: not the empty element's
  // end, not the following stanza, not the broken markup after it.
  EXPECT_EQ(parser.feed(std::string(kClientHeader) + "<a/><b/></broken>", r),
            StreamViolation::kNone);
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(r.stanzas[0].name(), "a");
}

TEST(XmlRestart, ResetWhileHoldingBackALongTag) {
  Recorder r;
  StreamParser parser;
  r.afterStanza = [&](const Element&) { parser.reset(); };
  std::string text = std::string(kClientHeader) + "<a x='" + std::string(5000, 'x') + "'/>";
  for (char c : text) ASSERT_EQ(parser.feed(std::string_view(&c, 1), r), StreamViolation::kNone);
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(parser.feed(std::string(kClientHeader) + "<b/>", r), StreamViolation::kNone);
  EXPECT_EQ(r.stanzas.size(), 2u);
}

TEST(XmlRestart, ResetOutsideCallback) {
  Recorder r;
  StreamParser parser;
  EXPECT_EQ(parser.feed(std::string(kClientHeader) + "<message><body>half", r),
            StreamViolation::kNone);
  parser.reset();
  parser.reset();  // twice is harmless
  EXPECT_EQ(parser.feed(std::string(kClientHeader) + "<presence/>", r), StreamViolation::kNone);
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(r.stanzas[0].name(), "presence");
}

TEST(XmlRestart, ParserMayBeDestroyedFromACallback) {
  Recorder r;
  auto parser = std::make_unique<StreamParser>();
  r.afterStanza = [&](const Element&) { parser.reset(); };  // the unique_ptr, not the stream
  EXPECT_EQ(parser->feed(std::string(kClientHeader) + "<a/><b/><c/>", r), StreamViolation::kNone);
  EXPECT_EQ(parser, nullptr);
  EXPECT_EQ(r.stanzas.size(), 1u);
}

TEST(XmlRestart, StreamCloseThenDestroy) {
  struct Closer : Recorder {
    std::unique_ptr<StreamParser>* owner = nullptr;
    void onStreamClose() override {
      Recorder::onStreamClose();
      owner->reset();
    }
  } r;
  auto parser = std::make_unique<StreamParser>();
  r.owner = &parser;
  EXPECT_EQ(parser->feed(std::string(kClientHeader) + "<a/></stream:stream>junk", r),
            StreamViolation::kNone);
  EXPECT_EQ(parser, nullptr);
  EXPECT_EQ(r.events.back(), "close");
}

}  // namespace
}  // namespace impd::xml
