#include "onecard/net/tls_https_context.h"

#include <openssl/ssl.h>

#include "onecard/platform/file_io.h"
#include "onecard/platform/secret_wipe.h"
#include "tls_identity.h"

namespace onecard::net {

namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 suites with ECDHE key exchange and an AEAD cipher; TLS 1.3 suites are all of that kind.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

Result<std::unique_ptr<ssl::context>> MakeHttpsContextFromPem(const std::string& cert_chain_pem,
                                                              std::string key_pem) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  ONECARD_CHECK(SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) == 1);
  ONECARD_CHECK(SSL_CTX_set_cipher_list(native, kTls12Ciphers) == 1);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE);
  ONECARD_CHECK(SSL_CTX_set_num_tickets(native, 0) == 1);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  Status loaded = UseCertificateAndKey(*ctx, cert_chain_pem, key_pem, "HTTPS ", "HTTPS");
  platform::WipeString(key_pem);
  if (!loaded.ok()) return loaded;
  return ctx;
}

Result<std::unique_ptr<ssl::context>> MakeHttpsContext(const std::string& cert_chain_file,
                                                       const std::string& key_file) {
  ASSIGN_OR_RETURN(std::string cert, platform::ReadWholeFile(cert_chain_file));
  ASSIGN_OR_RETURN(std::string key, platform::ReadWholeFile(key_file));
  return MakeHttpsContextFromPem(cert, std::move(key));
}

}  // namespace onecard::net
