#pragma once
// Shared pieces of the transaction, dialog and subscription tests: a TransactionHost that
// records what the layer did and when, a layer wired to a FakeClock, and message builders.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "codec/sip/message.h"
#include "codec/sip/transaction.h"
#include "codec/sip/transaction_layer.h"

namespace impd::sip::test {

using namespace std::chrono_literals;

inline Message parsed(std::string_view text) {
  auto m = parse(text);
  if (!m) {
    ADD_FAILURE() << "unparsable test message: " << m.error().message;
    return Message::request("OPTIONS", "sip:invalid");
  }
  return std::move(*m);
}

// A request from the far side (or ours), with the usual mandatory headers.
inline Message request(std::string_view method, std::string_view branch,
                       std::string_view sentBy = "client.example.org:5060", int cseq = 1) {
  std::string text = std::string(method) + " sip:bob@example.com SIP/2.0\r\n";
  text += "Via: SIP/2.0/UDP " + std::string(sentBy) + ";branch=" + std::string(branch) + "\r\n";
  text += "Max-Forwards: 70\r\n";
  text += "From: Alice <sip:alice@example.org>;tag=a73kszlfl\r\n";
  text += "To: Bob <sip:bob@example.com>\r\n";
  text += "Call-ID: 1j9FpLxk3uxtm8tn@client.example.org\r\n";
  text += "CSeq: " + std::to_string(cseq) + " " + std::string(method) + "\r\n";
  text += "Contact: <sip:alice@client.example.org>\r\n";
  text += "Content-Length: 0\r\n\r\n";
  return parsed(text);
}

// A response to `req` as a UAS writes it (§8.2.6.2): Via, From, To, Call-ID, CSeq copied.
inline Message responseTo(const Message& req, int status, std::string_view toTag = {}) {
  Message r = Message::response(status, std::string(reasonPhrase(status)));
  for (const auto via : req.getAll("Via")) r.add("Via", std::string(via));
  r.add("From", std::string(*req.get("From")));
  std::string to(*req.get("To"));
  if (!toTag.empty()) to += ";tag=" + std::string(toTag);
  r.add("To", to);
  r.add("Call-ID", std::string(*req.get("Call-ID")));
  r.add("CSeq", std::string(*req.get("CSeq")));
  return r;
}

struct Sent {
  Message message;
  Destination to;
  Clock::Steady::duration at;  // since the fixture started
};

struct Delivered {
  enum class Kind { Request, Response, Stray, TimedOut, TransportError };
  Kind kind;
  Message message;
  TransactionKey key;
  Clock::Steady::duration at;
};

class RecordingHost : public TransactionHost {
 public:
  explicit RecordingHost(const FakeClock& clock) : clock_(clock), start_(clock.now()) {}

  void transmit(const Message& m, const Destination& to) override {
    sent.push_back({m, to, clock_.now() - start_});
  }
  void deliverRequest(const Message& m, const TransportRef&, const TransactionKey& key) override {
    record(Delivered::Kind::Request, m, key);
    if (onRequest) onRequest(m, key);
  }
  void deliverResponse(const Message& m, const TransactionKey& key) override {
    record(Delivered::Kind::Response, m, key);
  }
  void deliverStray(const Message& m, const TransportRef&) override {
    record(Delivered::Kind::Stray, m, {});
  }
  void timedOut(const TransactionKey& key, const Message& m) override {
    record(Delivered::Kind::TimedOut, m, key);
  }
  void transportError(const TransactionKey& key, const Message& m) override {
    record(Delivered::Kind::TransportError, m, key);
  }

  // Times of every transmission, in milliseconds since the start.
  std::vector<long> sentAtMs() const {
    std::vector<long> out;
    for (const auto& s : sent) {
      out.push_back(
          static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(s.at).count()));
    }
    return out;
  }
  std::size_t count(Delivered::Kind kind) const {
    std::size_t n = 0;
    for (const auto& d : delivered) n += d.kind == kind;
    return n;
  }

  std::vector<Sent> sent;
  std::vector<Delivered> delivered;
  std::function<void(const Message&, const TransactionKey&)> onRequest;

 private:
  void record(Delivered::Kind kind, const Message& m, const TransactionKey& key) {
    delivered.push_back({kind, m, key, clock_.now() - start_});
  }

  const FakeClock& clock_;
  Clock::Steady::time_point start_;
};

inline Destination udpPeer() {
  return {TransportKind::Udp, "192.0.2.10", 5060, 0};
}
inline Destination tcpPeer() {
  return {TransportKind::Tcp, "192.0.2.10", 5060, 7};
}

// A layer, its host and a fake clock; run() moves time forward firing every deadline on the
// way, as the event loop would.
class LayerFixture : public ::testing::Test {
 protected:
  explicit LayerFixture(TimerConfig timers = {}) : layer(host, clock, timers) {}

  void run(Clock::Steady::duration d) {
    const auto end = clock.now() + d;
    while (auto next = layer.nextDeadline()) {
      if (*next > end) break;
      clock.advance(*next - clock.now());
      layer.onTimer(clock.now());
    }
    clock.advance(end - clock.now());
  }

  FakeClock clock;
  RecordingHost host{clock};
  TransactionLayer layer;
};

}  // namespace impd::sip::test
