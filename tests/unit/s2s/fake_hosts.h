#pragma once
// Recording hosts for the s2s stream state machines, and a parser-driven feed so tests speak
// the same bytes a peer would.
#include <string>
#include <string_view>
#include <vector>

#include "s2s/inbound_stream.h"
#include "s2s/outbound_stream.h"
#include "xml/stream_parser.h"

namespace impd::s2s::testing {

// Feeds text through a real stream parser; resetParser() from a host restarts it.
struct Wire {
  xml::StreamParser parser;
  void feed(std::string_view bytes, xml::StreamHandler& handler) { parser.feed(bytes, handler); }
};

struct FakeInboundHost : InboundHost {
  Wire* wire = nullptr;
  std::string out;
  bool tlsStarted = false, closed = false;
  bool certificateValid = false;
  std::vector<DialbackCheck> checks;
  std::vector<xml::Element> delivered;
  int ids = 0;

  void write(std::string bytes) override { out += bytes; }
  void startTls() override { tlsStarted = true; }
  void resetParser() override { wire->parser.reset(); }
  void close() override { closed = true; }
  bool certificateValidFor(std::string_view) override { return certificateValid; }
  void checkDialback(DialbackCheck check) override { checks.push_back(std::move(check)); }
  void deliver(xml::Element stanza) override { delivered.push_back(std::move(stanza)); }
  std::string newStreamId() override { return "id" + std::to_string(++ids); }
  // What was written since the last call.
  std::string take() { return std::exchange(out, {}); }
};

struct FakeOutboundHost : OutboundHost {
  Wire* wire = nullptr;
  std::string out;
  bool tlsStarted = false;
  std::string establishedBy, failedWith, failReason;
  std::vector<std::pair<DialbackCheck, DialbackOutcome>> answers;

  void write(std::string bytes) override { out += bytes; }
  void startTls() override { tlsStarted = true; }
  void resetParser() override { wire->parser.reset(); }
  void established(std::string_view method) override { establishedBy = method; }
  void failed(std::string_view condition, std::string reason) override {
    failedWith = condition;
    failReason = std::move(reason);
  }
  void verified(const DialbackCheck& check, const DialbackOutcome& outcome) override {
    answers.emplace_back(check, outcome);
  }
  std::string take() { return std::exchange(out, {}); }
};

// A peer's stream header, as servers send it.
inline std::string peerHeader(std::string_view from, std::string_view to, std::string_view id = {}) {
  std::string h = "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
                  "xmlns:db='jabber:server:dialback' version='1.0'";
  if (!from.empty()) h += " from='" + std::string(from) + "'";
  if (!to.empty()) h += " to='" + std::string(to) + "'";
  if (!id.empty()) h += " id='" + std::string(id) + "'";
  return h + ">";
}

}  // namespace impd::s2s::testing
