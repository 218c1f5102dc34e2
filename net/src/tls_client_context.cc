#include "onecard/net/tls_client_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>

#include "onecard/net/asio_status.h"
#include "onecard/protocol/i18n.h"

namespace onecard::net {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

Result<std::unique_ptr<ssl::context>> MakeClientTlsContext(const std::string& ca_cert_pem,
                                                           const std::string& cert_pem,
                                                           const std::string& key_pem) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  ONECARD_CHECK(SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) == 1);
  ONECARD_CHECK(SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) == 1);
  SSL_CTX_set_options(native, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  auto bad = [](const std::string& zh, const std::string& en, const boost::system::error_code& ec) {
    return Status(ErrorCode::kInvalidArgument, Tr(zh, en) + " (" + DescribeAsioError(ec) + ")");
  };
  boost::system::error_code ec;
  if (ca_cert_pem.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("缺少服务器 CA 证书", "the server's CA certificate is missing"));
  }
  ctx->add_certificate_authority(asio::buffer(ca_cert_pem), ec);
  if (ec) return bad("服务器 CA 证书无效", "invalid server CA certificate", ec);
  if (!cert_pem.empty()) {
    ctx->use_certificate_chain(asio::buffer(cert_pem), ec);
    if (ec) return bad("终端证书无效", "invalid terminal certificate", ec);
    ctx->use_private_key(asio::buffer(key_pem), ssl::context::pem, ec);
    if (ec) return bad("终端私钥无效", "invalid terminal private key", ec);
    if (SSL_CTX_check_private_key(native) != 1) {
      ERR_clear_error();
      return Status(ErrorCode::kInvalidArgument,
                    Tr("终端私钥与证书不匹配", "the terminal key does not match its certificate"));
    }
  }
  ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
  ONECARD_CHECK(!ec);
  return ctx;
}

}  // namespace onecard::net
