// impd-tls-footprint: how many bytes OpenSSL keeps for one idle server-side TLS connection with
// impd's settings (net::makeServerContext), after the handshake and one stanza each way, once
// the connection has gone quiet and StreamSocket has swapped its grown memory BIOs for empty
// ones. Clients are made in-process over memory BIOs and freed before counting, so only the
// server side remains. One JSON object on stdout; {"error": ...} and exit status 1 otherwise.
//
// The figure is the floor of impd's memory per idle TLS session: nothing impd does outside
// OpenSSL is in it (tests/bench/README.md).
#include <fmt/format.h>
#include <openssl/ssl.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "live_bytes.h"
#include "net/tls.h"

namespace {

// One end of a connection over memory BIOs, wired the way StreamSocket wires its own.
struct End {
  SSL* ssl = nullptr;
  BIO* in = nullptr;
  BIO* out = nullptr;

  End(SSL_CTX* ctx, bool server)
      : ssl(SSL_new(ctx)), in(BIO_new(BIO_s_mem())), out(BIO_new(BIO_s_mem())) {
    SSL_set_bio(ssl, in, out);
    if (server) {
      SSL_set_accept_state(ssl);
    } else {
      SSL_set_connect_state(ssl);
    }
  }
};

// Moves every byte `from` has written into `to`'s input, as the network would.
void deliver(const End& from, const End& to) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(from.out, &data);
  if (n > 0) BIO_write(to.in, data, static_cast<int>(n));
  (void)BIO_reset(from.out);
}

bool handshake(End& client, End& server) {
  for (int step = 0; step < 16; ++step) {
    const bool clientDone = SSL_do_handshake(client.ssl) == 1;
    deliver(client, server);
    const bool serverDone = SSL_do_handshake(server.ssl) == 1;
    deliver(server, client);
    if (clientDone && serverDone) return true;
  }
  return false;
}

// A stanza each way: the connection's last exchange before it goes quiet. The client's read
// also takes in the session tickets the server sent after the handshake.
bool exchange(End& client, End& server) {
  static const std::string stanza = "<presence/>";
  char buffer[4096];
  SSL_write(client.ssl, stanza.data(), static_cast<int>(stanza.size()));
  deliver(client, server);
  if (SSL_read(server.ssl, buffer, sizeof buffer) != static_cast<int>(stanza.size())) return false;
  SSL_write(server.ssl, stanza.data(), static_cast<int>(stanza.size()));
  deliver(server, client);
  return SSL_read(client.ssl, buffer, sizeof buffer) == static_cast<int>(stanza.size());
}

// What StreamSocket::releaseIdleBuffers does once a connection is quiet.
void releaseIdleBuffers(End& server) {
  server.in = BIO_new(BIO_s_mem());
  SSL_set0_rbio(server.ssl, server.in);
  server.out = BIO_new(BIO_s_mem());
  SSL_set0_wbio(server.ssl, server.out);
}

int fail(const std::string& message) {
  std::string quoted;
  for (char c : message) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  std::cout << fmt::format("{{\"error\": \"{}\"}}\n", quoted);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("OpenSSL's memory per idle server-side TLS connection, with impd's settings");
  int connections = 1000;
  app.add_option("--connections", connections, "idle connections to count over")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  char folderTemplate[] = "/tmp/impd-tls-footprint-XXXXXX";
  if (mkdtemp(folderTemplate) == nullptr) return fail("cannot make a temporary folder");
  const std::filesystem::path folder = folderTemplate;
  impd::net::TlsFiles files{folder / "cert.pem", folder / "key.pem", {}};
  auto made = impd::net::ensureSelfSigned(files.certificate, files.key, {"footprint.test"});
  if (!made) return fail(made.error().message);
  auto serverContext = impd::net::makeServerContext(files);
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
  if (!serverContext) return fail(serverContext.error().message);
  SSL_CTX* serverCtx = (*serverContext)->native_handle();
  SSL_CTX* clientCtx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(clientCtx, SSL_VERIFY_NONE, nullptr);

  // The first connection also fills OpenSSL's process-wide caches (algorithm fetches, error
  // strings); it is made and freed before the first reading.
  {
    End client(clientCtx, false), server(serverCtx, true);
    if (!handshake(client, server) || !exchange(client, server))
      return fail("the warm-up handshake failed");
    SSL_free(client.ssl);
    SSL_free(server.ssl);
  }

  std::vector<SSL*> kept;
  kept.reserve(static_cast<std::size_t>(connections));
  const std::size_t before = impd::footprint::liveBytes();
  for (int i = 0; i < connections; ++i) {
    End client(clientCtx, false), server(serverCtx, true);
    if (!handshake(client, server) || !exchange(client, server)) return fail("a handshake failed");
    SSL_free(client.ssl);
    releaseIdleBuffers(server);
    kept.push_back(server.ssl);
  }
  const std::size_t after = impd::footprint::liveBytes();
  std::cout << fmt::format(
      "{{\"connections\": {}, \"bytes_per_connection\": {:.0f}, \"allocator\": \"{}\", "
      "\"version\": \"{}\", \"cipher\": \"{}\"}}\n",
      connections, static_cast<double>(after - before) / connections,
      impd::footprint::allocatorName(), SSL_get_version(kept.front()),
      SSL_get_cipher_name(kept.front()));
  for (SSL* ssl : kept) SSL_free(ssl);
  SSL_CTX_free(clientCtx);
  return 0;
}
