// parse() and serialize(): start lines, header names, folding, list splitting,
// Content-Length, limits, core-header checks and the Message accessors.
#include "codec/sip/message.h"

#include <gtest/gtest.h>

#include "codec/sip/headers.h"

namespace impd::sip {
namespace {

// Core headers every parsed message needs, ahead of whatever a test adds.
constexpr std::string_view kCore =
    "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n"
    "From: <sip:alice@example.com>;tag=1\r\n"
    "To: <sip:bob@example.com>\r\n"
    "Call-ID: a84b4c76e66710\r\n";

std::string request(std::string_view extra, std::string_view body = {},
                    std::string_view method = "OPTIONS") {
  std::string m = std::string(method) + " sip:bob@example.com SIP/2.0\r\n" + std::string(kCore) +
                  "CSeq: 1 " + std::string(method) + "\r\n" + std::string(extra);
  return m + "\r\n" + std::string(body);
}

Message parsed(std::string_view text) {
  auto m = parse(text);
  EXPECT_TRUE(m.ok()) << (m ? "" : m.error().message);
  return m ? *m : Message{};
}

std::string condition(std::string_view text, const Limits& limits = {}) {
  auto m = parse(text, limits);
  return m ? "ok" : m.error().condition;
}

TEST(Parse, RequestLine) {
  Message m = parsed(request("Content-Length: 0\r\n"));
  EXPECT_TRUE(m.isRequest());
  EXPECT_EQ(m.method(), "OPTIONS");
  EXPECT_EQ(m.requestUri(), "sip:bob@example.com");
  EXPECT_EQ(m.get("call-id"), "a84b4c76e66710");
  EXPECT_EQ(m.body(), "");
}

TEST(Parse, StatusLine) {
  std::string text = "SIP/2.0 180 Ringing now\r\n" + std::string(kCore) +
                     "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
  Message m = parsed(text);
  EXPECT_TRUE(m.isResponse());
  EXPECT_EQ(m.status(), 180);
  EXPECT_EQ(m.reason(), "Ringing now");
  Message empty = parsed("SIP/2.0 100 \r\n" + std::string(kCore) + "CSeq: 1 INVITE\r\n\r\n");
  EXPECT_EQ(empty.reason(), "");
  Message bare = parsed("SIP/2.0 100\r\n" + std::string(kCore) + "CSeq: 1 INVITE\r\n\r\n");
  EXPECT_EQ(bare.status(), 100);
  for (std::string_view line :
       {"SIP/2.0 99 Low", "SIP/2.0 700 High", "SIP/2.0 2000 OK", "SIP/2.0 20 OK", "SIP/2.0 abc OK",
        "SIP/2.0  200 OK", "SIP/2.0 200 O\x01K", "SIP/2.0"}) {
    EXPECT_EQ(condition(std::string(line) + "\r\n" + std::string(kCore) + "CSeq: 1 INVITE\r\n\r\n"),
              "bad-request")
        << line;
  }
}

TEST(Parse, VersionOtherThan20) {
  std::string body = std::string(kCore) + "CSeq: 1 OPTIONS\r\n\r\n";
  EXPECT_EQ(condition("OPTIONS sip:a@example.com SIP/3.0\r\n" + body), "version");
  EXPECT_EQ(condition("SIP/1.0 200 OK\r\n" + body), "version");
  EXPECT_EQ(condition("OPTIONS sip:a@example.com sip/2.0\r\n" + body), "ok");
  EXPECT_EQ(condition("OPTIONS sip:a@example.com HTTP/1.1\r\n" + body), "bad-request");
  EXPECT_EQ(condition("OPTIONS sip:a@example.com SIP/2\r\n" + body), "bad-request");
}

TEST(Parse, MalformedRequestLines) {
  std::string rest = std::string(kCore) + "CSeq: 1 INVITE\r\n\r\n";
  for (std::string_view line :
       {"INVITE", "INVITE sip:a@example.com", "INVITE  sip:a@example.com SIP/2.0",
        "INVITE sip:a@example.com  SIP/2.0", "INVITE sip:a@example.com SIP/2.0 ",
        "IN VITE sip:a@example.com SIP/2.0", "INVITE <sip:a@example.com> SIP/2.0",
        "INVITE sip:a@example.com?Route=x SIP/2.0", "INV\"TE sip:a@example.com SIP/2.0",
        "INVITE * SIP/2.0", " INVITE sip:a@example.com SIP/2.0"}) {
    EXPECT_EQ(condition(std::string(line) + "\r\n" + rest), "bad-request") << line;
  }
  // Any absoluteURI may be a Request-URI; only its syntax is the parser's business.
  EXPECT_EQ(condition("INVITE tel:+1-201-555-0123 SIP/2.0\r\n" + rest), "ok");
}

TEST(Parse, HeaderNamesAreCaseInsensitiveAndCompactFormsExpand) {
  std::string text =
      "MESSAGE sip:bob@example.com SIP/2.0\r\n"
      "v: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
      "f: <sip:alice@example.com>;tag=1\r\nT: <sip:bob@example.com>\r\ni: id-1\r\n"
      "cseq: 1 MESSAGE\r\nm: <sip:alice@192.0.2.1>\r\nc: text/plain\r\nk: path\r\no: presence\r\n"
      "u: presence\r\ne: gzip\r\ns: hello\r\nr: <sip:x@example.com>\r\nb: <sip:y@example.com>\r\n"
      "x: 1800\r\ny: abc\r\nMAX-forwards: 70\r\nX-Custom-Thing: kept\r\nl: 5\r\n\r\nhello";
  Message m = parsed(text);
  std::vector<std::string> names;
  for (const Header& h : m.headers()) names.push_back(h.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "Via", "From", "To", "Call-ID", "CSeq", "Contact", "Content-Type", "Supported",
                "Event", "Allow-Events", "Content-Encoding", "Subject", "Refer-To", "Referred-By",
                "Session-Expires", "Identity", "Max-Forwards", "X-Custom-Thing"}));
  EXPECT_EQ(m.get("VIA"), m.get("v"));
  EXPECT_EQ(m.get("Call-Id"), "id-1");
  EXPECT_EQ(m.get("I"), "id-1");
  EXPECT_EQ(m.get("x-custom-thing"), "kept");
  EXPECT_EQ(m.body(), "hello");
  EXPECT_FALSE(m.has("Content-Length"));
}

TEST(Parse, FoldedHeadersAreJoinedWithOneSpace) {
  Message m =
      parsed(request("Subject: first\r\n   second \r\n\tthird\r\nX-Empty:\r\n  later\r\n"
                     "Content-Length: 0\r\n"));
  EXPECT_EQ(m.get("Subject"), "first second third");
  EXPECT_EQ(m.get("X-Empty"), "later");
  // A continuation before any header has nothing to continue.
  EXPECT_EQ(condition("OPTIONS sip:a@example.com SIP/2.0\r\n folded\r\n" + std::string(kCore) +
                      "CSeq: 1 OPTIONS\r\n\r\n"),
            "bad-request");
}

TEST(Parse, ListHeadersSplitOutsideQuotesAndBrackets) {
  Message m =
      parsed(request("Contact: \"Doe, John\" <sip:john,doe@example.com;x=a>;q=0.5, "
                     "<sip:j2@example.com>,sip:j3@h\r\n"
                     "Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\r\n"
                     "Allow: INVITE, ACK,OPTIONS , BYE\r\n"
                     "Supported: \r\n"
                     "Record-Route: <sip:a\\\"b@example.com>, \"x\\\", y\" <sip:c@example.com>\r\n"
                     "Subject: one, two\r\nContent-Length: 0\r\n"));
  auto contacts = m.getAll("m");
  ASSERT_EQ(contacts.size(), 3u);
  EXPECT_EQ(contacts[0], "\"Doe, John\" <sip:john,doe@example.com;x=a>;q=0.5");
  EXPECT_EQ(contacts[1], "<sip:j2@example.com>");
  EXPECT_EQ(contacts[2], "sip:j3@h");
  EXPECT_EQ(m.getAll("Route").size(), 2u);
  EXPECT_EQ(m.getAll("Allow"), (std::vector<std::string_view>{"INVITE", "ACK", "OPTIONS", "BYE"}));
  EXPECT_EQ(m.getAll("Supported"), (std::vector<std::string_view>{""}));
  auto rr = m.getAll("Record-Route");
  ASSERT_EQ(rr.size(), 2u);
  EXPECT_EQ(rr[1], "\"x\\\", y\" <sip:c@example.com>");
  EXPECT_EQ(m.getAll("Subject").size(), 1u);  // not a list header
  auto first = NameAddr::parse(contacts[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->displayName(), "Doe, John");
}

TEST(Parse, ViaListsAndWildcardContact) {
  std::string text =
      "REGISTER sip:example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1, SIP/2.0/TCP "
      "proxy.example.com;branch=z9hG4bK0\r\n"
      "v: SIP/2.0/UDP 192.0.2.1\r\n"
      "From: <sip:a@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: r1\r\n"
      "CSeq: 2 REGISTER\r\nContact: *\r\nExpires: 0\r\nContent-Length: 0\r\n\r\n";
  Message m = parsed(text);
  auto vias = m.getAll("Via");
  ASSERT_EQ(vias.size(), 3u);
  auto top = Via::parse(vias[0]);
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->host(), "[::1]");
  EXPECT_EQ(top->port(), 5060);
  EXPECT_EQ(m.getAll("Contact"), (std::vector<std::string_view>{"*"}));
}

TEST(Parse, ContentLength) {
  EXPECT_EQ(parsed(request("Content-Length: 5\r\n", "helloEXTRA")).body(), "hello");
  EXPECT_EQ(parsed(request("l: 005\r\n", "hello")).body(), "hello");
  EXPECT_EQ(parsed(request("Content-Length: 5\r\nContent-Length: 5\r\n", "hello")).body(), "hello");
  // Without Content-Length (a datagram) the rest is the body.
  EXPECT_EQ(parsed(request("", "all of it")).body(), "all of it");
  EXPECT_EQ(condition(request("Content-Length: 6\r\n", "hello")), "bad-request");
  EXPECT_EQ(condition(request("Content-Length: -1\r\n", "hello")), "bad-request");
  EXPECT_EQ(condition(request("Content-Length: 5x\r\n", "hello")), "bad-request");
  EXPECT_EQ(condition(request("Content-Length:\r\n", "hello")), "bad-request");
  EXPECT_EQ(condition(request("Content-Length: 5\r\nl: 4\r\n", "hello")), "bad-request");
  EXPECT_EQ(condition(request("Content-Length: 99999999999999999999999\r\n", "x")), "too-large");
}

TEST(Parse, LeadingCrlfAndBareLf) {
  Message m = parsed("\r\n\r\n" + request("Content-Length: 2\r\n", "ok"));
  EXPECT_EQ(m.method(), "OPTIONS");
  std::string lf = request("Content-Length: 2\r\n", "ok");
  std::string onlyLf;
  for (std::size_t i = 0; i < lf.size(); ++i) {
    if (lf[i] == '\r' && i + 1 < lf.size() && lf[i + 1] == '\n') continue;
    onlyLf.push_back(lf[i]);
  }
  Message n = parsed(onlyLf);
  EXPECT_EQ(n.body(), "ok");
  EXPECT_EQ(n.get("CSeq"), "1 OPTIONS");
  EXPECT_EQ(condition("OPTIONS sip:a@example.com SIP/2.0\rX: y\r\n\r\n"), "bad-request");
}

TEST(Parse, MalformedHeaderSections) {
  EXPECT_EQ(condition(""), "bad-request");
  EXPECT_EQ(condition("\r\n\r\n"), "bad-request");
  EXPECT_EQ(condition("OPTIONS sip:a@example.com SIP/2.0\r\nVia: x\r\n"), "bad-request");
  EXPECT_EQ(condition(request("No colon here\r\n")), "bad-request");
  EXPECT_EQ(condition(request("Bad Name: x\r\n")), "bad-request");
  EXPECT_EQ(condition(request(": empty name\r\n")), "bad-request");
  EXPECT_EQ(condition(request(std::string("Na\0me: x\r\n", 11))), "bad-request");
  // Whitespace before the colon is HCOLON's business and fine.
  EXPECT_EQ(condition(request("Subject   : x\r\n")), "ok");
}

TEST(Parse, CoreHeaderChecks) {
  std::string noFrom =
      "OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
      "To: <sip:a@example.com>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n";
  EXPECT_EQ(condition(noFrom), "bad-request");
  Limits lax;
  lax.checkCoreHeaders = false;
  EXPECT_EQ(condition(noFrom, lax), "ok");
  EXPECT_EQ(condition(request("Call-ID: second\r\n")), "bad-request");
  EXPECT_EQ(condition(request("Max-Forwards: 70\r\nMax-Forwards: 69\r\n")), "bad-request");
  std::string mismatch =
      "OPTIONS sip:a@example.com SIP/2.0\r\n" + std::string(kCore) + "CSeq: 1 INVITE\r\n\r\n";
  EXPECT_EQ(condition(mismatch), "bad-request");
  std::string big = "OPTIONS sip:a@example.com SIP/2.0\r\n" + std::string(kCore) +
                    "CSeq: 4294967296 OPTIONS\r\n\r\n";
  EXPECT_EQ(condition(big), "bad-request");
}

TEST(Parse, Limits) {
  Limits small;
  small.maxHeaderBytes = 300;
  EXPECT_EQ(condition(request("X-Pad: " + std::string(400, 'a') + "\r\n"), small), "too-large");
  EXPECT_EQ(condition("OPTIONS sip:a@example.com SIP/2.0\r\nX: " + std::string(400, 'a'), small),
            "too-large");
  Limits few;
  few.maxHeaders = 8;
  EXPECT_EQ(condition(request("A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n"), few), "too-large");
  EXPECT_EQ(condition(request("Allow: A,B,C,D,E,F\r\n"), few), "too-large");
  Limits body;
  body.maxBodyBytes = 4;
  EXPECT_EQ(condition(request("Content-Length: 5\r\n", "hello"), body), "too-large");
  EXPECT_EQ(condition(request("", "hello"), body), "too-large");
  EXPECT_EQ(condition(request("Content-Length: 4\r\n", "hell"), body), "ok");
}

TEST(Serialize, WritesStartLineHeadersLengthAndBody) {
  Message m = Message::request("MESSAGE", "sip:bob@example.com");
  m.add("v", "SIP/2.0/TCP h.example.com;branch=z9hG4bK1");
  m.add("From", "<sip:alice@example.com>;tag=9");
  m.add("To", "<sip:bob@example.com>");
  m.add("Call-ID", "c1");
  m.add("CSeq", "1 MESSAGE");
  m.setBody("hi there", "text/plain");
  std::string wire = serialize(m);
  EXPECT_EQ(wire,
            "MESSAGE sip:bob@example.com SIP/2.0\r\n"
            "Via: SIP/2.0/TCP h.example.com;branch=z9hG4bK1\r\n"
            "From: <sip:alice@example.com>;tag=9\r\n"
            "To: <sip:bob@example.com>\r\n"
            "Call-ID: c1\r\n"
            "CSeq: 1 MESSAGE\r\n"
            "Content-Type: text/plain\r\n"
            "Content-Length: 8\r\n\r\nhi there");
  Message again = parsed(wire);
  EXPECT_EQ(again.headers().size(), m.headers().size());
  EXPECT_EQ(again.body(), "hi there");
  EXPECT_EQ(serialize(again), wire);
}

TEST(Serialize, ResponsesGetTheirReasonPhrase) {
  EXPECT_EQ(Message::response(489).reason(), "Bad Event");
  EXPECT_EQ(Message::response(200, "Fine").reason(), "Fine");
  EXPECT_TRUE(serialize(Message::response(481))
                  .starts_with("SIP/2.0 481 Call/Transaction Does Not Exist\r\n"));
  EXPECT_EQ(reasonPhrase(200), "OK");
  EXPECT_EQ(reasonPhrase(199), "Early Dialog Terminated");
  EXPECT_EQ(reasonPhrase(299), "");
}

TEST(Serialize, NeutralisesLineBreaksInValues) {
  Message m = Message::response(200);
  m.add("Subject", "evil\r\nVia: injected");
  std::string wire = serialize(m);
  EXPECT_EQ(wire.find("\r\nVia:"), std::string::npos);
  EXPECT_NE(wire.find("Subject: evil  Via: injected\r\n"), std::string::npos);
}

TEST(Message, HeaderEditing) {
  Message m = Message::request("INVITE", "sip:b@example.com");
  m.add("Subject", "s");
  m.add("Via", "SIP/2.0/UDP b");
  m.add("Via", "SIP/2.0/UDP c");
  m.prepend("v", "SIP/2.0/UDP a");
  EXPECT_EQ(m.getAll("Via"),
            (std::vector<std::string_view>{"SIP/2.0/UDP a", "SIP/2.0/UDP b", "SIP/2.0/UDP c"}));
  EXPECT_EQ(m.headers()[1].name, "Via");  // before the first Via, after Subject
  EXPECT_TRUE(m.removeFirst("VIA"));
  EXPECT_EQ(m.get("Via"), "SIP/2.0/UDP b");
  m.prepend("Record-Route", "<sip:p.example.com;lr>");
  EXPECT_EQ(m.headers().front().name, "Record-Route");
  m.set("via", "SIP/2.0/UDP only");
  EXPECT_EQ(m.getAll("Via"), (std::vector<std::string_view>{"SIP/2.0/UDP only"}));
  m.set("Max-Forwards", "70");
  EXPECT_EQ(m.headers().back().name, "Max-Forwards");
  EXPECT_EQ(m.remove("Via"), 1u);
  EXPECT_EQ(m.remove("Via"), 0u);
  EXPECT_FALSE(m.removeFirst("Via"));
  EXPECT_FALSE(m.has("Via"));
  m.setRequestUri("sip:c@example.com");
  EXPECT_EQ(m.requestUri(), "sip:c@example.com");
}

}  // namespace
}  // namespace impd::sip
