// Fuzzes the server-to-server stream state machines (src/s2s): whatever a peer sends, on an
// inbound stream (we as Receiving or Authoritative Server) or on an outbound one (we as
// Initiating Server), must end in a stream error or a clean state, never a crash, a leak or
// a stanza from an unauthenticated domain reaching the IM service.
//
// Input layout: byte 0 picks the side and settings (bit 0 outbound, bits 1-2 TLS mode,
// bit 3 certificate valid, bit 4 dialback checks say valid); byte 1 the chunk size; the rest
// is what the peer sends. TLS handshakes and dialback checks complete between chunks.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/log.h"
#include "codec/xmpp/jid.h"
#include "s2s/inbound_stream.h"
#include "s2s/outbound_stream.h"
#include "xml/stream_parser.h"

namespace {

using namespace impd;

struct Harness final : s2s::InboundHost, s2s::OutboundHost {
  xml::StreamParser parser;
  bool certificateValid = false;
  bool tlsPending = false;
  std::vector<s2s::DialbackCheck> checks;
  std::vector<xml::Element> delivered;
  std::size_t written = 0;

  void write(std::string bytes) override { written += bytes.size(); }
  void startTls() override { tlsPending = true; }
  void resetParser() override { parser.reset(); }
  void close() override {}
  bool certificateValidFor(std::string_view) override { return certificateValid; }
  void checkDialback(s2s::DialbackCheck check) override { checks.push_back(std::move(check)); }
  void deliver(xml::Element stanza) override { delivered.push_back(std::move(stanza)); }
  std::string newStreamId() override { return "fuzz-stream"; }
  void established(std::string_view) override {}
  void failed(std::string_view, std::string) override {}
  void verified(const s2s::DialbackCheck&, const s2s::DialbackOutcome&) override {}
};

config::Config fuzzConfig(config::S2sTls tls) {
  config::Config c;
  c.server.domains = {"imp.test", "second.test"};
  c.s2s.tls = tls;
  c.s2s.policy = config::FederationPolicy::kDenylist;
  c.s2s.deny = {"denied.test"};
  return c;
}

// Everything that reached the IM service came from a domain authenticated for a local one.
void checkDelivered(const std::vector<xml::Element>& delivered) {
  for (const auto& stanza : delivered) {
    auto to = xmpp::Jid::parse(stanza.attr("to"));
    if (!to || (to->domain() != "imp.test" && to->domain() != "second.test")) __builtin_trap();
    if (stanza.ns() != "jabber:client") __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = setLogLevel("off");  // log lines would dominate the run time
  (void)quiet;
  if (size < 2) return 0;
  const std::uint8_t mode = data[0];
  const std::size_t chunk = 1 + data[1] % 64;
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto tls = static_cast<config::S2sTls>(((mode >> 1) & 3) % 3);
  const config::Config config = fuzzConfig(tls);
  s2s::StreamSettings settings{tls, true, true, "fuzz-secret"};
  s2s::Policy policy(config);
  Harness h;
  h.certificateValid = (mode & 8) != 0;
  const char* verdict = (mode & 16) != 0 ? "valid" : "invalid";

  if ((mode & 1) != 0) {
    s2s::OutboundStream stream(settings, "imp.test", "remote.test", h);
    stream.connected(false);
    stream.askVerify({"remote.test", "imp.test", "in-1", "key"});
    for (std::size_t at = 0; at < input.size() && !stream.closed(); at += chunk) {
      h.parser.feed(input.substr(at, chunk), stream);
      if (h.tlsPending) {
        h.tlsPending = false;
        stream.tlsEstablished();
      }
      if (stream.established()) {
        xml::Element m("message", "jabber:client");
        m.setAttr("to", "bob@remote.test");
        stream.sendStanza(m);
      }
    }
    return 0;
  }
  s2s::InboundStream stream(settings, policy, h, "fuzz");
  for (std::size_t at = 0; at < input.size() && !stream.closed(); at += chunk) {
    const auto violation = h.parser.feed(input.substr(at, chunk), stream);
    if (h.tlsPending) {
      h.tlsPending = false;
      stream.tlsEstablished();
    }
    for (const auto& check : std::exchange(h.checks, {})) stream.dialbackChecked(check, {verdict, ""});
    if (violation != xml::StreamViolation::kNone) stream.fail(xml::violationCondition(violation));
  }
  checkDelivered(h.delivered);
  return 0;
}
