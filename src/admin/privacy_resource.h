#pragma once
// GET/PUT /api/users/{jid}/privacy: a user's privacy policy (privacy_json.h has the shape).
// The user may read and replace their own; accounts listed in [admin] admins, anyone's.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

#include "admin/authenticator.h"
#include "im/service.h"

namespace impd::admin {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// A JSON response: {"error": message} for failures.
Response jsonResponse(const Request& request, boost::beast::http::status status, std::string body);
Response errorResponse(const Request& request, boost::beast::http::status status,
                       std::string_view message);

class PrivacyResource {
 public:
  PrivacyResource(im::Service& service, storage::Store& store, core::BlockingWorker& worker,
                  const Authenticator& auth)
      : service_(service), store_(store), worker_(worker), auth_(auth) {}

  // `jidText` is the decoded path segment; `caller` the authenticated account.
  boost::asio::awaitable<Response> handle(const Request& request, std::string jidText,
                                          std::string caller);

 private:
  im::Service& service_;
  storage::Store& store_;
  core::BlockingWorker& worker_;
  const Authenticator& auth_;
};

}  // namespace impd::admin
