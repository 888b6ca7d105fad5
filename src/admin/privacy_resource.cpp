#include "admin/privacy_resource.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "admin/privacy_json.h"
#include "codec/xmpp/jid.h"

namespace impd::admin {

namespace http = boost::beast::http;

Response jsonResponse(const Request& request, http::status status, std::string body) {
  Response response{status, request.version()};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response errorResponse(const Request& request, http::status status, std::string_view message) {
  return jsonResponse(request, status,
                      boost::json::serialize(boost::json::object{{"error", message}}));
}

boost::asio::awaitable<Response> PrivacyResource::handle(const Request& request,
                                                         std::string jidText, std::string caller) {
  auto jid = xmpp::Jid::parse(jidText);
  if (!jid || !jid->isBare() || jid->local().empty()) {
    co_return errorResponse(request, http::status::bad_request, "not a bare user JID");
  }
  const std::string user = jid->str();
  // Another user's policy is nobody's business but the user's and an administrator's; say
  // "forbidden" before saying whether the account exists.
  if (user != caller && !auth_.isAdmin(caller)) {
    co_return errorResponse(request, http::status::forbidden, "not your account");
  }
  const bool exists = service_.isLocalDomain(jid->domain()) &&
                      co_await worker_.run([&] { return store_.users().find(user).has_value(); });
  if (!exists) co_return errorResponse(request, http::status::not_found, "no such user");

  if (request.method() == http::verb::get) {
    storage::PrivacyPolicy policy = co_await service_.privacyPolicy(user);
    co_return jsonResponse(request, http::status::ok, privacyToJson(user, policy));
  }
  auto policy = privacyFromJson(request.body());
  if (!policy) co_return errorResponse(request, http::status::bad_request, policy.error().message);
  Result<void> stored = co_await service_.setPrivacyPolicy(user, *policy);
  if (!stored) {
    co_return errorResponse(request, http::status::internal_server_error, "the store failed");
  }
  storage::PrivacyPolicy now = co_await service_.privacyPolicy(user);
  co_return jsonResponse(request, http::status::ok, privacyToJson(user, now));
}

}  // namespace impd::admin
