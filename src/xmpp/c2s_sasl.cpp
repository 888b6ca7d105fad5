// SASL (RFC 6120 §6): SCRAM-SHA-256, SCRAM-SHA-1 and PLAIN (only inside TLS), with failure
// counting per stream and per address.
#include <optional>

#include "base/base64.h"
#include "base/log.h"
#include "codec/xmpp/namespaces.h"
#include "xmpp/c2s_connection.h"

namespace impd::xmpp {

using boost::asio::awaitable;

namespace {
// The username of a SCRAM client-first-message (RFC 5802 §7): after the GS2 header
// ("n,," / "y,," / "n,a=...,"), the first attribute must be n=<saslname>.
std::optional<std::string> scramUsername(std::string_view clientFirst) {
  std::size_t first = clientFirst.find(',');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = clientFirst.find(',', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  std::string_view bare = clientFirst.substr(second + 1);
  if (bare.substr(0, 2) != "n=") return std::nullopt;
  std::string_view name = bare.substr(2, bare.find(',') == std::string_view::npos ? std::string_view::npos : bare.find(',') - 2);
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '=') {
      out += name[i];
    } else if (name.substr(i, 3) == "=2C") {
      out += ',';
      i += 2;
    } else if (name.substr(i, 3) == "=3D") {
      out += '=';
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<std::string> decodePayload(const xml::Element& e) {
  std::string text = e.text();
  if (text == "=" || text.empty()) return std::string();
  return base64Decode(text);
}
}  // namespace

awaitable<void> C2sConnection::handleAuth(xml::Element& auth) {
  const std::string& address = socket_.remoteAddress();
  if (!ctx_.guard.mayAuthenticate(address)) {
    logger("c2s")->info("{}: authentication throttled after repeated failures", address);
    saslFailure("temporary-auth-failure", "too many failed attempts; try again later");
    co_return;
  }
  scram_.reset();
  std::string mechanism(auth.attr("mechanism"));
  auto payload = decodePayload(auth);
  if (!payload) co_return saslFailure("incorrect-encoding");

  if (mechanism == "PLAIN") {
    if (!socket_.isTls()) co_return saslFailure("encryption-required");
    auto plain = parsePlain(*payload);
    if (!plain) co_return saslFailure("malformed-request");
    auto user = prepareLocalpart(plain->authcid);
    if (!user) co_return saslFailure("not-authorized");
    if (!plain->authzid.empty() && plain->authzid != *user + "@" + domain_) {
      co_return saslFailure("invalid-authzid");
    }
    std::string jid = *user + "@" + domain_;
    auto record = co_await ctx_.worker.run([&] { return ctx_.store.users().find(jid); });
    if (!record || !verifyPassword(record->sha256, plain->password)) {
      co_return saslFailure("not-authorized");
    }
    co_return saslSuccess(*user, {});
  }

  std::optional<ScramHash> hash;
  if (mechanism == "SCRAM-SHA-256") hash = ScramHash::kSha256;
  if (mechanism == "SCRAM-SHA-1") hash = ScramHash::kSha1;
  if (!hash) co_return saslFailure("invalid-mechanism");

  auto name = scramUsername(*payload);
  if (!name) co_return saslFailure("malformed-request");
  auto user = prepareLocalpart(*name);
  std::optional<storage::UserRecord> record;
  if (user) {
    std::string jid = *user + "@" + domain_;
    record = co_await ctx_.worker.run([&] { return ctx_.store.users().find(jid); });
  }
  // The lookup runs synchronously inside the exchange, so it answers from the record fetched
  // above; an unknown user goes on with fake credentials and fails only at the proof.
  std::string prepared = user ? *user : std::string();
  auto lookup = [record, prepared, h = *hash](std::string_view name) -> std::optional<ScramCredentials> {
    auto asked = prepareLocalpart(name);
    if (!record || !asked || *asked != prepared) return std::nullopt;
    return h == ScramHash::kSha256 ? record->sha256 : record->sha1;
  };
  scram_ = std::make_unique<ScramServer>(*hash, lookup, ctx_.random);
  auto challenge = scram_->start(*payload);
  if (!challenge) {
    scram_.reset();
    co_return saslFailure(challenge.error().condition);
  }
  authUser_ = prepared;
  write("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + base64Encode(*challenge) + "</challenge>");
}

awaitable<void> C2sConnection::handleSaslResponse(xml::Element& response) {
  if (!scram_) co_return saslFailure("malformed-request");
  auto payload = decodePayload(response);
  if (!payload) {
    scram_.reset();
    co_return saslFailure("incorrect-encoding");
  }
  auto final = scram_->finish(*payload);
  scram_.reset();
  if (!final || authUser_.empty()) co_return saslFailure(final ? "not-authorized" : final.error().condition);
  saslSuccess(authUser_, *final);
}

void C2sConnection::saslFailure(std::string_view condition, std::string_view text) {
  write("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><" + std::string(condition) + "/>" +
        (text.empty() ? std::string() : "<text>" + xml::escapeText(text) + "</text>") + "</failure>");
  if (condition == "aborted") return;
  ++authFailures_;
  if (condition == "not-authorized") ctx_.guard.recordAuthFailure(socket_.remoteAddress());
  logger("c2s")->info("{}: authentication failed ({})", socket_.remoteAddress(), condition);
  if (authFailures_ >= ctx_.settings.authFailuresBeforeClose) {
    closeWithStreamError("policy-violation", "too many authentication failures");
  }
}

void C2sConnection::saslSuccess(std::string_view user, std::string_view additionalData) {
  authUser_ = std::string(user);
  write("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" +
        (additionalData.empty() ? std::string() : base64Encode(additionalData)) + "</success>");
  phase_ = Phase::kAuthenticated;
  headerSent_ = false;
  parser_.reset();
}

}  // namespace impd::xmpp
