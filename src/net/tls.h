#pragma once
// TLS contexts (OpenSSL 3 through Asio) and the self-signed certificate made on first start.
#include <boost/asio/ssl/context.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace impd::net {

struct TlsFiles {
  std::filesystem::path certificate;  // PEM chain
  std::filesystem::path key;          // PEM private key
  std::filesystem::path caFile;       // optional trust anchors for peers
};

// A server context: TLS 1.2+, no compression, no renegotiation, session tickets on so clients
// can resume cheaply, and buffers released while a connection is idle (SSL_MODE_RELEASE_BUFFERS).
Result<std::shared_ptr<boost::asio::ssl::context>> makeServerContext(const TlsFiles& files);

// The server context for server-to-server streams: like makeServerContext, but it asks the
// peer for its certificate and lets the handshake go on whatever it presents, because a peer
// without a valid certificate may still authenticate with dialback. The s2s code checks the
// certificate after the handshake (cert_identity.h).
Result<std::shared_ptr<boost::asio::ssl::context>> makeServerToServerContext(const TlsFiles& files);

// The client context for streams we open to other servers: it presents our certificate (so the
// peer can offer SASL EXTERNAL) and, for the same reason as above, checks nothing during the
// handshake. Trust anchors: caFile, else the system store.
Result<std::shared_ptr<boost::asio::ssl::context>> makeClientContext(const TlsFiles& files);

// Writes a self-signed certificate (EC P-256, SAN dNSName for every domain) and its key unless
// both files exist already. Keys are written with mode 0600.
Result<void> ensureSelfSigned(const std::filesystem::path& cert, const std::filesystem::path& key,
                              const std::vector<std::string>& domains);

}  // namespace impd::net
