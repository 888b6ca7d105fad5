// impd-tls-footprint: how many bytes OpenSSL keeps for one idle server-side TLS connection with
// impd's settings (net::makeServerContext), after the handshake and one stanza each way, once
// the connection has gone quiet and StreamSocket has freed its emptied ciphertext buffers.
// Clients are made in-process in memory and freed before counting, so only the
// server side remains. One JSON object on stdout; {"error": ...} and exit status 1 otherwise.
//
// The figure is the floor of impd's memory per idle TLS session: nothing impd does outside
// OpenSSL is in it (tests/bench/README.md). With --by-site it says instead which of OpenSSL's
// objects those bytes are: its live allocations per connection by the source line that made
// them, as requested from the allocator.
#include <fmt/format.h>
#include <openssl/ssl.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "allocation_sites.h"
#include "live_bytes.h"
#include "net/cipher_buffer.h"
#include "net/tls.h"

namespace {

// One end of a connection, wired the way StreamSocket wires its own. It stays where it is
// made: OpenSSL's BIOs point at its buffers.
struct End {
  impd::net::CipherBuffer in, out;
  SSL* ssl = nullptr;

  void open(SSL_CTX* ctx, bool server) {
    ssl = SSL_new(ctx);
    SSL_set_bio(ssl, impd::net::newCipherBio(in), impd::net::newCipherBio(out));
    if (server) {
      SSL_set_accept_state(ssl);
    } else {
      SSL_set_connect_state(ssl);
    }
  }
};

// Moves every byte `from` has written into `to`'s input, as the network would.
void deliver(End& from, End& to) {
  const std::string bytes = from.out.take();
  to.in.append(bytes.data(), bytes.size());
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

// What StreamSocket::releaseBuffers does once a connection is quiet.
void releaseBuffers(End& server) {
  server.in.release(0);
  server.out.release(0);
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

// The --by-site answer: every site still holding memory, in bytes and allocations per connection.
std::string sitesJson(int connections) {
  const auto sites = impd::footprint::liveSites();
  std::size_t total = 0;
  std::string list;
  for (const auto& site : sites) {
    total += site.bytes;
    if (!list.empty()) list += ", ";
    list += fmt::format("{{\"where\": \"{}\", \"bytes\": {:.1f}, \"allocations\": {:.3f}}}",
                        site.where, static_cast<double>(site.bytes) / connections,
                        static_cast<double>(site.count) / connections);
  }
  return fmt::format(
      "{{\"connections\": {}, \"requested_bytes_per_connection\": {:.1f}, \"sites\": [{}]}}\n",
      connections, static_cast<double>(total) / connections, list);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("OpenSSL's memory per idle server-side TLS connection, with impd's settings");
  int connections = 1000;
  bool bySite = false;
  app.add_option("--connections", connections, "idle connections to count over")
      ->check(CLI::PositiveNumber);
  app.add_flag("--by-site", bySite,
               "list OpenSSL's allocations per connection by source line instead");
  CLI11_PARSE(app, argc, argv);
  if (bySite && !impd::footprint::hookOpenSslAllocations()) {
    return fail("OpenSSL allocated memory before its allocation hooks could be set");
  }

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
    End client, server;
    client.open(clientCtx, false);
    server.open(serverCtx, true);
    if (!handshake(client, server) || !exchange(client, server))
      return fail("the warm-up handshake failed");
    SSL_free(client.ssl);
    SSL_free(server.ssl);
  }

  // The server ends' own objects are made before the first reading: in impd they are part of
  // the connection object, not of OpenSSL.
  std::vector<End> servers(static_cast<std::size_t>(connections));
  const std::size_t before = impd::footprint::liveBytes();
  impd::footprint::recordAllocations(bySite);
  for (End& server : servers) {
    End client;
    client.open(clientCtx, false);
    server.open(serverCtx, true);
    if (!handshake(client, server) || !exchange(client, server)) return fail("a handshake failed");
    SSL_free(client.ssl);
    releaseBuffers(server);
  }
  const std::size_t after = impd::footprint::liveBytes();
  impd::footprint::recordAllocations(false);
  if (bySite) {
    std::cout << sitesJson(connections);
  } else {
    std::cout << fmt::format(
        "{{\"connections\": {}, \"bytes_per_connection\": {:.0f}, \"allocator\": \"{}\", "
        "\"version\": \"{}\", \"cipher\": \"{}\"}}\n",
        connections, static_cast<double>(after - before) / connections,
        impd::footprint::allocatorName(), SSL_get_version(servers.front().ssl),
        SSL_get_cipher_name(servers.front().ssl));
  }
  for (End& server : servers) SSL_free(server.ssl);
  SSL_CTX_free(clientCtx);
  return 0;
}
