#include "admin/authenticator.h"

#include <algorithm>

#include "base/base64.h"
#include "codec/xmpp/jid.h"
#include "codec/xmpp/scram.h"

namespace impd::admin {

namespace {
// A password guesser gets as many tries per minute as a c2s client gets SASL attempts.
constexpr unsigned kFailuresPerMinute = 10;

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}
}  // namespace

std::optional<std::pair<std::string, std::string>> parseBasic(std::string_view authorization) {
  // The scheme name is case-insensitive (RFC 7617 §2).
  if (!startsWithNoCase(authorization, "basic ")) return std::nullopt;
  std::string_view token = authorization.substr(6);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  auto decoded = base64Decode(token);
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

Authenticator::Authenticator(storage::Store& store, core::BlockingWorker& worker,
                             std::vector<std::string> admins, Clock& clock)
    : store_(store),
      worker_(worker),
      admins_(std::move(admins)),
      failures_({1u << 20, 1u << 20, kFailuresPerMinute}, clock) {}

bool Authenticator::isAdmin(const std::string& jid) const {
  return std::find(admins_.begin(), admins_.end(), jid) != admins_.end();
}

boost::asio::awaitable<Authenticator::Identity> Authenticator::identify(
    std::string_view authorization, const std::string& address) {
  auto basic = parseBasic(authorization);
  if (!basic) co_return Identity{authorization.empty() ? Outcome::kMissing : Outcome::kWrong, {}};
  if (!failures_.mayAuthenticate(address)) co_return Identity{Outcome::kThrottled, {}};
  auto jid = xmpp::Jid::parse(basic->first);
  std::optional<std::string> user;
  if (jid && jid->isBare() && !jid->local().empty()) {
    const std::string bare = jid->str();
    const std::string& password = basic->second;
    // Deriving the salted password costs milliseconds: keep it off the I/O thread.
    const bool ok = co_await worker_.run([&] {
      auto record = store_.users().find(bare);
      return record && xmpp::verifyPassword(record->sha256, password);
    });
    if (ok) user = bare;
  }
  if (!user) {
    failures_.recordAuthFailure(address);
    co_return Identity{Outcome::kWrong, {}};
  }
  co_return Identity{Outcome::kAuthenticated, *user};
}

}  // namespace impd::admin
