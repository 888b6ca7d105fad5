// Every row of the seed's tables 7-10 (XMPP peers and this server's own clients) through the
// stanza translation: a presence as the sender's system writes it goes in, and what comes out
// for the recipient's system must show the row's state. The rows are read from the same CSV the
// presence codec's tests use. Tables 1-6 (Lync and OCS) run through the SIP gateway.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "codec/presence/xmpp_show.h"
#include "codec/xmpp/namespaces.h"
#include "harness.h"
#include "im/internal.h"

namespace impd::im::test {
namespace {

using presence::Availability;

struct Cell {
  Availability state;
  std::string status;  // "" none; "*" the sender's own message
};

Cell cell(const std::string& text) {
  Cell c;
  const auto bar = text.find('|');
  c.state = *presence::parseAvailability(text.substr(0, bar));
  if (bar != std::string::npos) {
    c.status = text.substr(bar + std::string("|status=").size());
    if (c.status == "(the user's own message)") c.status = "*";
  }
  return c;
}

struct Row {
  int table;
  std::string from, to;
  Cell fromCell, toCell;
};

std::vector<Row> rows(int first, int last) {
  std::ifstream in(IMPD_AVAILABILITY_CSV);
  std::vector<Row> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("table", 0) == 0) continue;
    std::stringstream s(line);
    std::string f[5];
    for (auto& field : f) std::getline(s, field, ',');
    const int table = std::stoi(f[0]);
    if (table < first || table > last) continue;
    out.push_back({table, f[1], f[3], cell(f[2]), cell(f[4])});
  }
  return out;
}

// How each system's user is written in these tests.
std::string domainOf(const std::string& system) {
  if (system == "sametime") return "sametime.test";
  if (system == "webex") return "webex.test";
  if (system.rfind("federated", 0) == 0) return "other-impd.test";
  return "imp.test";
}

// A presence as a client of `system` sends it for a cell.
xml::Element presenceFor(const std::string& system, const Cell& c, const std::string& ownMessage) {
  std::string show, status = c.status.empty() ? ownMessage : c.status;
  auto shown = presence::xmppShowFor(presence::System::generic, c.state, status);
  std::string xml = "<presence from='u@" + domainOf(system) + "/r'>";
  if (shown && shown->show != presence::Show::none) {
    xml += "<show>" + std::string(presence::showName(shown->show)) + "</show>";
  }
  xml += "<status>" + (shown ? shown->status : status) + "</status>";
  if (system == "rich-client") {
    xml += "<availability xmlns='urn:impd:availability:0' state='" +
           std::string(presence::availabilityName(c.state)) + "'/>";
  }
  return parse(xml + "</presence>");
}

class AvailabilityTables : public ServiceTest {
 protected:
  AvailabilityTables() : env_(context()) {}

  Context context() {
    Context ctx{.domains = {"imp.test"}, .registry = registry_, .worker = worker_,
                .store = *store_, .clock = clock_};
    ctx.peerProfiles = {{"sametime.test", PeerProfile::kSametime},
                        {"webex.test", PeerProfile::kWebex},
                        {"other-impd.test", PeerProfile::kImpd}};
    return ctx;
  }

  // What the row's recipient gets.
  xml::Element translate(const Row& r, const xml::Element& sent) {
    const std::string from = domainOf(r.from);
    if (from != "imp.test") return presenceForLocal(env_, sent, from, r.to == "rich-client");
    return presenceForRemote(env_, sent, domainOf(r.to));
  }

  Env env_;
};

void expectShows(const Row& r, const xml::Element& got, const std::string& own) {
  const std::string where = "table " + std::to_string(r.table) + " " + r.from + " " +
                            std::string(presence::availabilityName(r.fromCell.state)) + " -> " +
                            r.to + ": " + str(got);
  if (r.toCell.state == Availability::offline) {
    EXPECT_EQ(got.attr("type"), "unavailable") << where;
    return;
  }
  const xml::Element* ext = got.child("availability", xmpp::ns::kAvailability);
  const bool rich = r.to == "rich-client" || r.to == "federated rich-client";
  if (rich) {
    ASSERT_NE(ext, nullptr) << where;
    EXPECT_EQ(ext->attr("state"), presence::availabilityName(r.toCell.state)) << where;
  } else {
    // The standard rendering of the row's state: <show> and, where the cell fixes one, status.
    auto expected = presence::xmppShowFor(presence::System::generic, r.toCell.state, "");
    ASSERT_TRUE(expected) << where;
    EXPECT_EQ(got.childText("show"), presence::showName(expected->show)) << where;
    // A local standard client gets no extension; the wire to another impd carries both
    // renderings (its rich clients read the extension), so only the show is checked there.
    if (r.to == "xmpp-client") {
      EXPECT_EQ(ext, nullptr) << where;
    }
  }
  if (r.toCell.status == "*") {
    EXPECT_EQ(got.childText("status"), r.fromCell.status.empty() ? own : r.fromCell.status) << where;
  } else if (!r.toCell.status.empty()) {
    EXPECT_EQ(got.childText("status"), r.toCell.status) << where;
  }
}

TEST_F(AvailabilityTables, EveryRowOfTables7To10) {
  const auto all = rows(7, 10);
  ASSERT_EQ(all.size(), 10u + 10u + 20u + 24u) << "the CSV lost rows";
  const std::string own = "my own note";
  for (const Row& r : all) {
    if (r.fromCell.state == Availability::offline) continue;  // unavailable is not translated
    expectShows(r, translate(r, presenceFor(r.from, r.fromCell, own)), own);
  }
}

TEST_F(AvailabilityTables, AStandardClientSeesARichClientsBusyAsAwayBusy) {
  auto got = presenceForLocal(
      env_,
      parse("<presence from='a@imp.test/r'><show>dnd</show><status>deep work</status>"
            "<availability xmlns='urn:impd:availability:0' state='busy'/></presence>"),
      "imp.test", false);
  EXPECT_EQ(got.childText("show"), "away");
  EXPECT_EQ(got.childText("status"), "Busy");
  EXPECT_EQ(got.child("availability", xmpp::ns::kAvailability), nullptr);
}

TEST_F(AvailabilityTables, ARichClientSeesAStandardClientsIdle) {
  auto got = presenceForLocal(
      env_, parse("<presence from='a@imp.test/r'><show>away</show><status>Idle</status></presence>"),
      "imp.test", true);
  const xml::Element* ext = got.child("availability", xmpp::ns::kAvailability);
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(ext->attr("state"), "idle");
}

TEST_F(AvailabilityTables, GenericPeersAndNonAvailablePresencePassUnchanged) {
  auto sent = parse("<presence from='a@imp.test/r'><show>dnd</show><status>x</status>"
                    "<availability xmlns='urn:impd:availability:0' state='busy'/></presence>");
  EXPECT_EQ(str(presenceForRemote(env_, sent, "prosody.test")), str(sent));
  auto gone = parse("<presence from='u@sametime.test/r' type='unavailable'/>");
  EXPECT_EQ(str(presenceForLocal(env_, gone, "sametime.test", false)), str(gone));
}

}  // namespace
}  // namespace impd::im::test
