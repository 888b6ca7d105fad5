// The RFC 4475 torture messages (torture/valid, torture/invalid; see torture/README.md):
// every valid one parses and so do its core headers; every invalid one is refused, by parse()
// or by the typed parser of the header the RFC names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "codec/sip/headers.h"
#include "codec/sip/message.h"

namespace impd::sip {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::map<std::string, std::string> readFolder(const char* sub) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(fs::path(IMPD_SIP_TORTURE_DIR) / sub)) {
    if (entry.path().extension() == ".sip") {
      out[entry.path().stem().string()] = readFile(entry.path());
    }
  }
  return out;
}

bool nameAddrOk(std::string_view v) {
  return NameAddr::isWildcard(v) || NameAddr::parse(v).ok();
}

TEST(Torture, ValidMessagesParse) {
  auto files = readFolder("valid");
  EXPECT_GE(files.size(), 13u);
  for (const auto& [name, text] : files) {
    SCOPED_TRACE(name);
    ASSERT_NE(text.find("\r\n"), std::string::npos) << "stored without CRLF";
    auto m = parse(text);
    ASSERT_TRUE(m.ok()) << m.error().condition << ": " << m.error().message;
    EXPECT_FALSE(m->getAll("Via").empty());
    for (auto v : m->getAll("Via")) EXPECT_TRUE(Via::parse(v).ok()) << v;
    EXPECT_TRUE(CSeq::parse(*m->get("CSeq")).ok());
    for (std::string_view h : {"From", "To", "Contact", "Route", "Record-Route"}) {
      for (auto v : m->getAll(h)) EXPECT_TRUE(nameAddrOk(v)) << h << ": " << v;
    }
    if (auto ct = m->get("Content-Type")) {
      EXPECT_TRUE(ParamValue::parseMediaType(*ct).ok());
    }
    if (m->isRequest()) {
      EXPECT_TRUE(Uri::parse(m->requestUri()).ok()) << m->requestUri();
    }
    // What we print parses back to the same message.
    auto again = parse(serialize(*m));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->headers().size(), m->headers().size());
    EXPECT_EQ(again->body(), m->body());
    EXPECT_EQ(serialize(*again), serialize(*m));
  }
}

// Details the RFC calls out for individual valid messages.
TEST(Torture, ValidMessageDetails) {
  auto files = readFolder("valid");
  auto wsinv = parse(files.at("wsinv"));
  ASSERT_TRUE(wsinv.ok());
  EXPECT_EQ(wsinv->get("CSeq"), "0009 INVITE");
  EXPECT_EQ(CSeq::parse(*wsinv->get("CSeq"))->number, 9u);
  EXPECT_EQ(wsinv->get("NewFangledHeader"), "newfangled value continued newfangled value");
  EXPECT_EQ(wsinv->get("Subject"), "");
  auto vias = wsinv->getAll("Via");
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(Via::parse(vias[0])->host(), "192.0.2.2");
  EXPECT_EQ(Via::parse(vias[1])->transport(), "TCP");
  EXPECT_EQ(Via::parse(vias[2])->branch(), "z9hG4bK30239");
  EXPECT_EQ(NameAddr::parse(*wsinv->get("From"))->displayName(), "J Rosenberg \\\"");
  EXPECT_EQ(NameAddr::parse(*wsinv->get("To"))->tag(), "1918181833n");
  EXPECT_EQ(NameAddr::parse(*wsinv->get("Contact"))->param("q"), "0.33");
  EXPECT_EQ(wsinv->body().size(), 150u);

  auto intmeth = parse(files.at("intmeth"));
  ASSERT_TRUE(intmeth.ok());
  EXPECT_EQ(intmeth->method(), "!interesting-Method0123456789_*+`.%indeed'~");
  EXPECT_EQ(NameAddr::parse(*intmeth->get("To"))->displayName(),
            std::string("BEL:\x07 NUL:\0 DEL:\x7f", 17));

  auto esc01 = parse(files.at("esc01"));
  ASSERT_TRUE(esc01.ok());
  EXPECT_EQ(Uri::parse(esc01->requestUri())->user(), "sips:user@example.com");
  EXPECT_EQ(NameAddr::parse(*esc01->get("To"))->uri().user(), "user");
  EXPECT_EQ(NameAddr::parse(*esc01->get("Contact"))->uri().param("name"), "value%41");

  auto semiuri = parse(files.at("semiuri"));
  ASSERT_TRUE(semiuri.ok());
  EXPECT_EQ(Uri::parse(semiuri->requestUri())->user(), "user;par=u@example.net");
  EXPECT_EQ(semiuri->getAll("Accept").size(), 6u);

  auto dblreq = parse(files.at("dblreq"));
  ASSERT_TRUE(dblreq.ok());
  EXPECT_EQ(dblreq->method(), "REGISTER");
  EXPECT_EQ(dblreq->body(), "");

  auto transports = parse(files.at("transports"));
  ASSERT_TRUE(transports.ok());
  std::vector<std::string> seen;
  for (auto v : transports->getAll("Via")) seen.push_back(Via::parse(v)->transport());
  EXPECT_EQ(seen, (std::vector<std::string>{"UDP", "SCTP", "TLS-SCTP", "UNKNOWN", "TCP"}));

  auto esc02 = parse(files.at("esc02"));
  ASSERT_TRUE(esc02.ok());
  EXPECT_EQ(esc02->getAll("Contact").size(), 2u);
  EXPECT_EQ(esc02->get("C%6Fntact"), "<sip:alias2@host2.example.com>");

  auto noreason = parse(files.at("noreason"));
  ASSERT_TRUE(noreason.ok());
  EXPECT_EQ(noreason->status(), 100);
  EXPECT_EQ(noreason->reason(), "");

  auto unreason = parse(files.at("unreason"));
  ASSERT_TRUE(unreason.ok());
  EXPECT_TRUE(unreason->reason().starts_with("= 2**3 * 5**2 "));

  auto mpart = parse(files.at("mpart01"));
  ASSERT_TRUE(mpart.ok());
  EXPECT_EQ(ParamValue::parseMediaType(*mpart->get("Content-Type"))->param("boundary"),
            "7a9cbec02ceef655");
  EXPECT_TRUE(parseDate(*mpart->get("Date")).ok());
  EXPECT_TRUE(Via::parse(*mpart->get("Via"))->rport().present);

  auto escnull = parse(files.at("escnull"));
  ASSERT_TRUE(escnull.ok());
  EXPECT_EQ(NameAddr::parse(escnull->getAll("Contact")[1])->uri().user(), std::string(2, '\0'));
}

// How each invalid message is refused (torture/README.md has the same table).
struct Refusal {
  std::string parseCondition;  // non-empty: parse() fails with this condition
  std::string header;          // otherwise: this header's typed parser refuses some value
};

bool typedRefuses(const Message& m, const std::string& header) {
  std::function<bool(std::string_view)> ok;
  if (header == "Via") {
    ok = [](std::string_view v) { return Via::parse(v).ok(); };
  } else if (header == "Date") {
    ok = [](std::string_view v) { return parseDate(v).ok(); };
  } else {
    ok = nameAddrOk;
  }
  auto values = m.getAll(header);
  if (values.empty()) return false;
  for (auto v : values) {
    if (!ok(v)) return true;
  }
  return false;
}

TEST(Torture, InvalidMessagesAreRefused) {
  const std::map<std::string, Refusal> expected = {
      {"badinv01", {"", "Via"}},
      {"clerr", {"bad-request", ""}},
      {"ncl", {"bad-request", ""}},
      {"scalar02", {"bad-request", ""}},
      {"scalarlg", {"bad-request", ""}},
      {"quotbal", {"", "To"}},
      {"ltgtruri", {"bad-request", ""}},
      {"lwsruri", {"bad-request", ""}},
      {"lwsstart", {"bad-request", ""}},
      {"trws", {"bad-request", ""}},
      {"escruri", {"bad-request", ""}},
      {"baddate", {"", "Date"}},
      {"regbadct", {"", "Contact"}},
      {"badaspec", {"", "To"}},
      {"baddn", {"", "From"}},
      {"badvers", {"version", ""}},
      {"mismatch01", {"bad-request", ""}},
      {"mismatch02", {"bad-request", ""}},
      {"bigcode", {"bad-request", ""}},
      {"insuf", {"bad-request", ""}},
      {"multi01", {"bad-request", ""}},
      {"mcl01", {"bad-request", ""}},
  };
  auto files = readFolder("invalid");
  std::set<std::string> names;
  for (const auto& [name, text] : files) {
    SCOPED_TRACE(name);
    names.insert(name);
    auto it = expected.find(name);
    ASSERT_NE(it, expected.end()) << "no expectation for " << name;
    auto m = parse(text);
    if (!it->second.parseCondition.empty()) {
      ASSERT_FALSE(m.ok());
      EXPECT_EQ(m.error().condition, it->second.parseCondition) << m.error().message;
    } else {
      ASSERT_TRUE(m.ok()) << m.error().message;
      EXPECT_TRUE(typedRefuses(*m, it->second.header)) << it->second.header;
    }
  }
  EXPECT_EQ(names.size(), expected.size());
  // badinv01's Contact and baddn's To are broken the same way as the header named above.
  auto badinv = parse(files.at("badinv01"));
  ASSERT_TRUE(badinv.ok());
  EXPECT_TRUE(typedRefuses(*badinv, "Contact"));
  auto baddn = parse(files.at("baddn"));
  ASSERT_TRUE(baddn.ok());
  EXPECT_TRUE(typedRefuses(*baddn, "To"));
}

// Every torture message, valid or not, frames on a stream without reading past its end.
TEST(Torture, FramingNeverOverruns) {
  for (const char* sub : {"valid", "invalid"}) {
    for (const auto& [name, text] : readFolder(sub)) {
      SCOPED_TRACE(name);
      auto n = frameLength(text);
      if (n.ok()) {
        EXPECT_LE(*n, text.size());
      }
    }
  }
}

}  // namespace
}  // namespace impd::sip
