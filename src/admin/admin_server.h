#pragma once
// The admin HTTP API on [admin] listen. HTTP/1.1 with keep-alive, bounded requests, a time
// limit per request, and JSON answers; the resources sit in their own files.
#include <memory>
#include <string>
#include <vector>

#include "admin/authenticator.h"
#include "admin/privacy_resource.h"
#include "im/service.h"
#include "net/io_pool.h"
#include "net/listener.h"

namespace impd::admin {

struct AdminContext {
  im::Service& service;
  storage::Store& store;
  core::BlockingWorker& worker;
  std::vector<std::string> admins;  // prepared bare JIDs
  Clock& clock;
};

class AdminServer {
 public:
  AdminServer(AdminContext ctx, net::IoPool& pool);
  Result<void> start(const std::string& host, std::uint16_t port);
  void stop();

  // Routes one request; public so it can be tested without a socket.
  boost::asio::awaitable<Response> respond(Request request, std::string address);

 private:
  AdminContext ctx_;
  Authenticator auth_;
  PrivacyResource privacy_;
  net::Listener listener_;
};

}  // namespace impd::admin
