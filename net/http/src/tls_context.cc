#include "onecard/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"

namespace onecard::http {

namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 suites with ECDHE key exchange and an AEAD cipher; TLS 1.3 suites are all of that kind.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int error = errno;
    ErrorCode code = error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIoError;
    return Status(code, Tr("无法读取文件 " + path, "cannot read file " + path) + " (" +
                            std::strerror(error) + ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status BadPem(const std::string& zh, const std::string& en) {
  std::string reason = OpenSslErrorText();
  return Status(ErrorCode::kInvalidArgument,
                Tr(zh, en) + (reason.empty() ? "" : " (" + reason + ")"));
}

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

  boost::system::error_code ec;
  ERR_clear_error();
  ctx->use_certificate_chain(boost::asio::buffer(cert_chain_pem), ec);
  if (ec) return BadPem("HTTPS 证书无效", "invalid HTTPS certificate");
  ctx->use_private_key(boost::asio::buffer(key_pem), ssl::context::pem, ec);
  WipeString(key_pem);
  if (ec) return BadPem("HTTPS 私钥无效", "invalid HTTPS private key");
  if (SSL_CTX_check_private_key(native) != 1) {
    return BadPem("HTTPS 私钥与证书不匹配", "the HTTPS key does not match its certificate");
  }
  return ctx;
}

Result<std::unique_ptr<ssl::context>> MakeHttpsContext(const std::string& cert_chain_file,
                                                       const std::string& key_file) {
  ASSIGN_OR_RETURN(std::string cert, ReadFile(cert_chain_file));
  ASSIGN_OR_RETURN(std::string key, ReadFile(key_file));
  return MakeHttpsContextFromPem(cert, std::move(key));
}

}  // namespace onecard::http
