// A SCRAM exchange per hash on arbitrary bytes: everything up to the first '\n' is the
// client-first-message, the rest the client-final-message. The one account is the RFC 5802 /
// RFC 7677 "user"/"pencil", and the server nonces are the RFCs', so the RFC exchanges in the
// corpus reach the success path. The whole input is also parsed as a SASL PLAIN message.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/base64.h"
#include "base/fake_random.h"
#include "codec/xmpp/scram.h"

using namespace impd;
using namespace impd::xmpp;

namespace {

const ScramCredentials& account(ScramHash hash) {
  static const ScramCredentials sha1 =
      deriveScramCredentials("pencil", ScramHash::kSha1, *base64Decode("QSXCR+Q6sek8bf92"), 4096);
  static const ScramCredentials sha256 = deriveScramCredentials(
      "pencil", ScramHash::kSha256, *base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  return hash == ScramHash::kSha1 ? sha1 : sha256;
}

void exchange(ScramHash hash, std::string_view first, std::string_view final, bool hasFinal) {
  CountingRandom random;
  ScramServer server(
      hash,
      [hash](std::string_view user) -> std::optional<ScramCredentials> {
        if (user != "user") return std::nullopt;
        return account(hash);
      },
      random);
  server.setFixedServerNonce(hash == ScramHash::kSha1 ? "3rfcNHYJY1ZVvWVs7j"
                                                      : "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
  Result<std::string> serverFirst = server.start(first);
  if (!serverFirst) return;
  if (!serverFirst->starts_with("r=")) std::abort();
  if (!hasFinal) return;
  Result<std::string> serverFinal = server.finish(final);
  if (!serverFinal) return;
  // Only the real account can ever succeed, and only once.
  if (server.username() != "user" || !serverFinal->starts_with("v=")) std::abort();
  if (server.finish(final).ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t newline = text.find('\n');
  bool hasFinal = newline != std::string_view::npos;
  std::string_view first = text.substr(0, newline);
  std::string_view final = hasFinal ? text.substr(newline + 1) : std::string_view();
  exchange(ScramHash::kSha1, first, final, hasFinal);
  exchange(ScramHash::kSha256, first, final, hasFinal);
  Result<PlainMessage> plain = parsePlain(text);
  if (plain && (plain->authcid.empty() || plain->password.empty())) std::abort();
  return 0;
}
