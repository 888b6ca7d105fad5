#include "admin/admin_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include "base/log.h"

namespace impd::admin {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Bounds for one request: the API's bodies are small JSON documents.
constexpr std::size_t kHeaderLimit = 8 * 1024;
constexpr std::size_t kBodyLimit = 256 * 1024;
constexpr auto kRequestTime = std::chrono::seconds(30);
constexpr int kRequestsPerConnection = 1000;

asio::awaitable<void> serve(AdminServer& server, asio::ip::tcp::socket socket) {
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  const std::string address = ec ? "" : peer.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (int served = 0; served < kRequestsPerConnection; ++served) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    stream.expires_after(kRequestTime);
    auto [readError, n] =
        co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (readError == http::error::end_of_stream || readError == beast::error::timeout) break;
    if (readError) {
      // A request we cannot read gets the one answer HTTP has for it, then the door.
      const bool tooLarge = readError == http::error::body_limit || readError == http::error::header_limit;
      Request stub;
      stub.version(11);
      stub.keep_alive(false);
      Response r = errorResponse(stub, tooLarge ? http::status::payload_too_large : http::status::bad_request,
                                 readError.message());
      co_await http::async_write(stream, r, asio::as_tuple(asio::use_awaitable));
      break;
    }
    Response response = co_await server.respond(parser.release(), address);
    const bool keepAlive = response.keep_alive();
    auto [writeError, m] = co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    if (writeError || !keepAlive) break;
  }
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace

AdminServer::AdminServer(AdminContext ctx, net::IoPool& pool)
    : ctx_(std::move(ctx)),
      auth_(ctx_.store, ctx_.worker, ctx_.admins, ctx_.clock),
      privacy_(ctx_.service, ctx_.store, ctx_.worker, auth_),
      listener_(pool, "admin", [this](asio::ip::tcp::socket socket, asio::io_context& home) {
        asio::co_spawn(home, serve(*this, std::move(socket)), asio::detached);
      }) {}

Result<void> AdminServer::start(const std::string& host, std::uint16_t port) {
  return listener_.start(host, port);
}

void AdminServer::stop() { listener_.stop(); }

asio::awaitable<Response> AdminServer::respond(Request request, std::string address) {
  auto url = boost::urls::parse_origin_form(request.target());
  if (!url) co_return errorResponse(request, http::status::bad_request, "bad request target");
  std::vector<std::string> segments;
  for (auto segment : url->segments()) segments.push_back(segment);  // percent-decoded
  const bool privacy = segments.size() == 4 && segments[0] == "api" && segments[1] == "users" &&
                       segments[3] == "privacy";
  if (!privacy) co_return errorResponse(request, http::status::not_found, "no such resource");
  if (request.method() != http::verb::get && request.method() != http::verb::put) {
    Response r = errorResponse(request, http::status::method_not_allowed, "use GET or PUT");
    r.set(http::field::allow, "GET, PUT");
    co_return r;
  }
  auto who = co_await auth_.identify(request[http::field::authorization], address);
  switch (who.outcome) {
    case Authenticator::Outcome::kAuthenticated:
      break;
    case Authenticator::Outcome::kThrottled:
      co_return errorResponse(request, http::status::too_many_requests,
                              "too many failed sign-ins from this address; wait a minute");
    default: {
      Response r = errorResponse(request, http::status::unauthorized, "sign in with your JID and password");
      r.set(http::field::www_authenticate, "Basic realm=\"impd\", charset=\"UTF-8\"");
      co_return r;
    }
  }
  co_return co_await privacy_.handle(request, segments[2], who.jid);
}

}  // namespace impd::admin
