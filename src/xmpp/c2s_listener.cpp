#include "xmpp/c2s_listener.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "base/log.h"
#include "xmpp/c2s_connection.h"

namespace impd::xmpp {

namespace asio = boost::asio;

C2sListener::C2sListener(C2sContext& ctx, net::IoPool& pool, bool directTls)
    : ctx_(ctx),
      directTls_(directTls),
      listener_(pool, "c2s", [this](asio::ip::tcp::socket s, asio::io_context& home) { accept(std::move(s), home); }) {}

Result<void> C2sListener::start(const config::ListenAddress& address) {
  auto started = listener_.start(address.host, address.port);
  if (started) {
    logger("c2s")->info("listening on {}:{}{}", address.host, address.port, directTls_ ? " (direct TLS)" : "");
  }
  return started;
}

void C2sListener::accept(asio::ip::tcp::socket socket, asio::io_context& home) {
  boost::system::error_code peerError;
  auto peer = socket.remote_endpoint(peerError);
  std::string address = peerError ? std::string() : peer.address().to_string();
  if (peerError || ctx_.draining || !ctx_.guard.admit(address)) {
    logger("c2s")->debug("{}: connection refused by admission limits", address);
    socket.close(peerError);
    return;
  }
  auto connection = std::make_shared<C2sConnection>(ctx_, std::move(socket), directTls_);
  asio::co_spawn(home, [connection] { return connection->run(); }, asio::detached);
}

}  // namespace impd::xmpp
