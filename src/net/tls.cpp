#include "net/tls.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

namespace impd::net {

namespace ssl = boost::asio::ssl;

namespace {
// Accepts any certificate during the handshake; the caller decides afterwards.
int acceptAnyCertificate(int, X509_STORE_CTX*) { return 1; }

Result<void> loadIdentityAndTrust(ssl::context& ctx, const TlsFiles& files) {
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(files.certificate.string(), ec);
  if (ec) {
    return makeError("tls", files.certificate.string() + ": cannot load certificate: " + ec.message());
  }
  ctx.use_private_key_file(files.key.string(), ssl::context::pem, ec);
  if (ec) return makeError("tls", files.key.string() + ": cannot load key: " + ec.message());
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    return makeError("tls", files.key.string() + ": key does not match the certificate");
  }
  if (!files.caFile.empty()) {
    ctx.load_verify_file(files.caFile.string(), ec);
    if (ec) return makeError("tls", files.caFile.string() + ": cannot load CA file: " + ec.message());
  } else {
    ctx.set_default_verify_paths(ec);
  }
  return {};
}
}  // namespace

Result<std::shared_ptr<ssl::context>> makeServerToServerContext(const TlsFiles& files) {
  auto ctx = makeServerContext(files);
  if (!ctx) return ctx;
  SSL_CTX* raw = (*ctx)->native_handle();
  SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, acceptAnyCertificate);
  // Resumed sessions keep the peer certificate; OpenSSL insists on an id context then.
  static const unsigned char kIdContext[] = "impd-s2s";
  SSL_CTX_set_session_id_context(raw, kIdContext, sizeof kIdContext - 1);
  return ctx;
}

Result<std::shared_ptr<ssl::context>> makeClientContext(const TlsFiles& files) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression,
                   ec);
  SSL_CTX* raw = ctx->native_handle();
  SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_mode(raw, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_verify(raw, SSL_VERIFY_NONE, nullptr);
  if (auto loaded = loadIdentityAndTrust(*ctx, files); !loaded) return loaded.error();
  return ctx;
}

Result<std::shared_ptr<ssl::context>> makeServerContext(const TlsFiles& files) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::no_compression,
                   ec);
  SSL_CTX* raw = ctx->native_handle();
  SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(raw, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_SERVER);
  if (auto loaded = loadIdentityAndTrust(*ctx, files); !loaded) return loaded.error();
  return ctx;
}

namespace {
struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct FileClose { void operator()(FILE* f) const { std::fclose(f); } };

Result<void> addSan(X509* cert, const std::vector<std::string>& domains) {
  std::string san;
  for (const auto& d : domains) {
    if (!san.empty()) san += ",";
    san += "DNS:" + d;
  }
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, san.c_str());
  if (ext == nullptr) return makeError("tls", "cannot build subjectAltName " + san);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return {};
}
}  // namespace

Result<void> ensureSelfSigned(const std::filesystem::path& certPath,
                              const std::filesystem::path& keyPath,
                              const std::vector<std::string>& domains) {
  if (std::filesystem::exists(certPath) && std::filesystem::exists(keyPath)) return {};
  std::error_code fsError;
  std::filesystem::create_directories(certPath.parent_path(), fsError);
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (!pkey || !cert) return makeError("tls", "cannot generate a key pair");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), pkey.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = domains.empty() ? "localhost" : domains.front();
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (auto r = addSan(cert.get(), domains); !r) return r;
  if (X509_sign(cert.get(), pkey.get(), EVP_sha256()) == 0) {
    return makeError("tls", "cannot sign the self-signed certificate");
  }
  {
    mode_t old = ::umask(077);
    std::unique_ptr<FILE, FileClose> keyFile(std::fopen(keyPath.c_str(), "w"));
    ::umask(old);
    if (!keyFile || PEM_write_PrivateKey(keyFile.get(), pkey.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr) != 1) {
      return makeError("tls", keyPath.string() + ": cannot write key");
    }
  }
  std::unique_ptr<FILE, FileClose> certFile(std::fopen(certPath.c_str(), "w"));
  if (!certFile || PEM_write_X509(certFile.get(), cert.get()) != 1) {
    return makeError("tls", certPath.string() + ": cannot write certificate");
  }
  return {};
}

}  // namespace impd::net
