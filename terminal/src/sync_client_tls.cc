#include "sync_client_tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

namespace {

std::string Describe(const boost::system::error_code& ec) {
  if (ec.category() == asio::error::get_ssl_category()) {
    char text[256];
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), text, sizeof(text));
    return text;
  }
  return ec.message();
}

}  // namespace

Result<std::unique_ptr<ssl::context>> MakeClientTlsContext(const SyncEndpoint& endpoint) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  ONECARD_CHECK(SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) == 1);
  ONECARD_CHECK(SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) == 1);
  SSL_CTX_set_options(native, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  auto bad = [](const std::string& zh, const std::string& en, const boost::system::error_code& ec) {
    return Status(ErrorCode::kInvalidArgument, Tr(zh, en) + " (" + Describe(ec) + ")");
  };
  boost::system::error_code ec;
  if (endpoint.ca_cert_pem.empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("缺少服务器 CA 证书", "the server's CA certificate is missing"));
  }
  ctx->add_certificate_authority(asio::buffer(endpoint.ca_cert_pem), ec);
  if (ec) return bad("服务器 CA 证书无效", "invalid server CA certificate", ec);
  if (!endpoint.cert_pem.empty()) {
    ctx->use_certificate_chain(asio::buffer(endpoint.cert_pem), ec);
    if (ec) return bad("终端证书无效", "invalid terminal certificate", ec);
    ctx->use_private_key(asio::buffer(endpoint.key_pem), ssl::context::pem, ec);
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

Status StatusFromAsio(const boost::system::error_code& ec, const std::string& what, bool deadline_expired) {
  if (deadline_expired) {
    return Status(ErrorCode::kDeadlineExceeded, Tr(what + "超时", what + " timed out"));
  }
  if (!ec) return Status::Ok();
  std::string detail = what + ": " + Describe(ec);
  if (ec.category() == asio::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED) {
    // The server refused this terminal's certificate during the handshake (TLS 1.3: the alert
    // arrives with the first read after the client's side of the handshake completed).
    return Status(ErrorCode::kPermissionDenied,
                  Tr("本终端的证书已被同步服务器吊销，连接被拒绝；请联系管理员重新登记本终端（",
                     "this terminal's certificate was revoked: the sync server refused the connection; ask the "
                     "administrator to enrol this terminal again (") +
                      detail + ")");
  }
  if (ec.category() == asio::error::get_ssl_category()) {
    return Status(ErrorCode::kUnauthenticated, Tr("TLS 认证失败（", "TLS authentication failed (") + detail + ")");
  }
  if (ec == ssl::error::stream_truncated || ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::connection_aborted || ec == asio::error::broken_pipe ||
      ec == asio::error::connection_refused || ec == asio::error::host_unreachable ||
      ec == asio::error::network_unreachable || ec == asio::error::timed_out ||
      ec == asio::error::operation_aborted || ec == asio::error::host_not_found ||
      ec == asio::error::host_not_found_try_again || ec == asio::error::shut_down) {
    return Status(ErrorCode::kUnavailable, Tr("无法连接同步服务器或连接中断（", "sync server unreachable or connection lost (") +
                                               detail + ")");
  }
  return Status(ErrorCode::kIoError, Tr("网络错误（", "network error (") + detail + ")");
}

}  // namespace onecard::terminal
