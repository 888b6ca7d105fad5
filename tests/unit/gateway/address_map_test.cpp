// JID <-> SIP URI mapping (RFC 7247 §5).
#include "gateway/address_map.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace impd::gateway::test {
namespace {

sip::Uri uri(std::string_view text) {
  auto parsed = sip::Uri::parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed ? std::move(*parsed) : sip::Uri();
}

TEST(AddressMap, BareJidToAor) {
  auto aor = aorForJid(jid("Juliet@Example.COM"));
  ASSERT_TRUE(aor.ok());
  EXPECT_EQ(aor->str(), "sip:juliet@example.com");
}

TEST(AddressMap, ResourceIsDroppedForTheAor) {
  auto aor = aorForJid(jid("juliet@example.com/balcony"));
  ASSERT_TRUE(aor.ok());
  EXPECT_EQ(aor->str(), "sip:juliet@example.com");
}

TEST(AddressMap, IdnDomainBecomesALabel) {
  auto aor = aorForJid(jid("juliet@bücher.example"));
  ASSERT_TRUE(aor.ok());
  EXPECT_EQ(aor->str(), "sip:juliet@xn--bcher-kva.example");
  auto host = sipHostForDomain("bücher.example");
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(*host, "xn--bcher-kva.example");
}

TEST(AddressMap, NonAsciiLocalpartIsPercentEncoded) {
  auto aor = aorForJid(jid("josé@example.com"));
  ASSERT_TRUE(aor.ok());
  EXPECT_EQ(aor->str(), "sip:jos%C3%A9@example.com");
  auto back = jidForSipUri(*aor);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->str(), "josé@example.com");
}

TEST(AddressMap, DomainJidHasNoUserPart) {
  auto aor = aorForJid(jid("example.com"));
  ASSERT_TRUE(aor.ok());
  EXPECT_EQ(aor->str(), "sip:example.com");
}

TEST(AddressMap, PresEntity) {
  auto entity = presEntityForJid(jid("romeo@montague.test/orchard"));
  ASSERT_TRUE(entity.ok());
  EXPECT_EQ(*entity, "pres:romeo@montague.test");
}

TEST(AddressMap, SipUrisToBareJids) {
  for (std::string_view text :
       {"sip:Bob@Lync.Test", "sips:bob@lync.test:5061;transport=tls", "pres:bob@lync.test",
        "im:bob@lync.test", "sip:bob@lync.test;user=ip", "sip:bob:secret@lync.test"}) {
    auto mapped = jidForSipUri(uri(text));
    ASSERT_TRUE(mapped.ok()) << text << ": " << mapped.error().message;
    EXPECT_EQ(mapped->str(), "bob@lync.test") << text;
  }
}

TEST(AddressMap, PercentEncodedUserIsDecoded) {
  auto mapped = jidForSipUri(uri("sip:first.last%2Bsales@lync.test"));
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->local(), "first.last+sales");
}

TEST(AddressMap, ALabelHostBecomesULabel) {
  auto mapped = jidForSipUri(uri("sip:bob@xn--bcher-kva.example"));
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->domain(), "bücher.example");
}

TEST(AddressMap, CharactersForbiddenInALocalpartAreJidMalformed) {
  for (std::string_view text : {"sip:john%20doe@lync.test", "sip:a%22b@lync.test",
                                "sip:a&b@lync.test", "sip:a%2Fb@lync.test", "sip:a%3Ab@lync.test",
                                "sip:a%3Cb%3E@lync.test", "sip:a%40b@lync.test",
                                "sip:o'brien@lync.test"}) {
    auto mapped = jidForSipUri(uri(text));
    ASSERT_FALSE(mapped.ok()) << text;
    EXPECT_EQ(mapped.error().condition, "jid-malformed") << text;
  }
}

TEST(AddressMap, NonSipSchemesAndPhoneNumbersAreRefused) {
  EXPECT_FALSE(jidForSipUri(uri("tel:+15551234567")).ok());
  EXPECT_FALSE(jidForSipUri(uri("sip:+15551234567@lync.test;user=phone")).ok());
}

TEST(AddressMap, GruuIsKeptAsResourceAndMapsBack) {
  const sip::Uri gruu = uri("sip:bob@lync.test;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
  auto full = fullJidForSipUri(gruu);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->bareStr(), "bob@lync.test");
  EXPECT_EQ(full->resource(), "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
  auto back = gruuForJid(*full);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->param("gr"), "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
  EXPECT_TRUE(sip::equivalent(*back, gruu));
  // Without gr the full form is the bare one.
  auto plain = fullJidForSipUri(uri("sip:bob@lync.test"));
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->isBare());
}

TEST(AddressMap, NameAddrQuotesAndEscapesTheDisplayName) {
  auto address = nameAddrForJid(jid("juliet@capulet.test/x"), "Juliet \"J\" Capulet\\");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->str(), "\"Juliet \\\"J\\\" Capulet\\\\\" <sip:juliet@capulet.test>");
  auto back = sip::NameAddr::parse(address->str());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->displayName(), "Juliet \"J\" Capulet\\");

  auto plain = nameAddrForJid(jid("juliet@capulet.test"), "Juliet");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->str(), "\"Juliet\" <sip:juliet@capulet.test>");
  auto bare = nameAddrForJid(jid("juliet@capulet.test"));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->str(), "<sip:juliet@capulet.test>");
}

TEST(AddressMap, NameAddrHeaderValues) {
  auto mapped = jidForSipAddress("\"Bob Smith\" <sip:Bob.Smith@lync.test>;tag=8a7c2");
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->str(), "bob.smith@lync.test");
  EXPECT_FALSE(jidForSipAddress("not a uri").ok());
}

TEST(AddressMap, PartiesOfARequest) {
  const sip::Message initial = sipLiteral(
      "MESSAGE sip:alice@imp.test SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bK1\n"
      "From: <sip:bob@lync.test>;tag=1\n"
      "To: <sip:alice@imp.test>\n"
      "Call-ID: c1\n"
      "CSeq: 1 MESSAGE\n"
      "Content-Length: 0\n\n");
  auto parties = partiesOf(initial);
  ASSERT_TRUE(parties.ok());
  EXPECT_EQ(parties->sender.str(), "bob@lync.test");
  EXPECT_EQ(parties->target.str(), "alice@imp.test");

  // In a dialog the Request-URI is our Contact: the target comes from To.
  const sip::Message inDialog = sipLiteral(
      "MESSAGE sip:gw.imp.test:5061;transport=tls SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bK2\n"
      "From: <sip:bob@lync.test>;tag=1\n"
      "To: <sip:alice@imp.test>;tag=2\n"
      "Call-ID: c1\n"
      "CSeq: 2 MESSAGE\n"
      "Content-Length: 0\n\n");
  parties = partiesOf(inDialog);
  ASSERT_TRUE(parties.ok());
  EXPECT_EQ(parties->target.str(), "alice@imp.test");
}

TEST(AddressMap, UnmappablePartiesSayWhichStatus) {
  const sip::Message badSender = sipLiteral(
      "MESSAGE sip:alice@imp.test SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bK1\n"
      "From: <sip:john%20doe@lync.test>;tag=1\n"
      "To: <sip:alice@imp.test>\n"
      "Call-ID: c1\n"
      "CSeq: 1 MESSAGE\n"
      "Content-Length: 0\n\n");
  auto parties = partiesOf(badSender);
  ASSERT_FALSE(parties.ok());
  EXPECT_EQ(parties.error().condition, "jid-malformed");
  EXPECT_EQ(sipStatusForUnmappable(AddressRole::sender), 400);

  const sip::Message badTarget = sipLiteral(
      "MESSAGE sip:a%3Cb@imp.test SIP/2.0\n"
      "Via: SIP/2.0/TLS edge.lync.test:5061;branch=z9hG4bK1\n"
      "From: <sip:bob@lync.test>;tag=1\n"
      "To: <sip:a%3Cb@imp.test>\n"
      "Call-ID: c1\n"
      "CSeq: 1 MESSAGE\n"
      "Content-Length: 0\n\n");
  parties = partiesOf(badTarget);
  ASSERT_FALSE(parties.ok());
  EXPECT_EQ(parties.error().condition, "item-not-found");
  EXPECT_EQ(sipStatusForUnmappable(AddressRole::target), 404);
}

}  // namespace
}  // namespace impd::gateway::test
