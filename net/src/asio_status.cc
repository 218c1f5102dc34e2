#include "onecard/net/asio_status.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include "onecard/protocol/i18n.h"

namespace onecard::net {

namespace asio = boost::asio;

namespace {

bool IsTls(const boost::system::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category();
}

// The server refused this terminal's certificate during the handshake (TLS 1.3: the alert
// arrives with the first read after the client's side of the handshake completed).
bool IsRevokedAlert(const boost::system::error_code& ec) {
  return IsTls(ec) && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
                          SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED;
}

// Errors after which retrying later may succeed: the peer went away or cannot be reached.
bool IsConnectionLoss(const boost::system::error_code& ec) {
  return ec == asio::ssl::error::stream_truncated || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_refused ||
         ec == asio::error::host_unreachable || ec == asio::error::network_unreachable ||
         ec == asio::error::timed_out || ec == asio::error::operation_aborted ||
         ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
         ec == asio::error::address_in_use || ec == asio::error::shut_down;
}

Status ConnectionLost(const std::string& detail, Side side) {
  if (side == Side::kTerminal) {
    return Status(ErrorCode::kUnavailable, Tr("无法连接同步服务器或连接中断（",
                                              "sync server unreachable or connection lost (") +
                                               detail + ")");
  }
  return Status(ErrorCode::kUnavailable,
                Tr("连接中断或不可用（", "connection lost or unavailable (") + detail + ")");
}

}  // namespace

std::string DescribeAsioError(const boost::system::error_code& ec) {
  if (IsTls(ec)) {
    char text[256];
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), text, sizeof(text));
    return text;
  }
  return ec.message();
}

Status StatusFromAsio(const boost::system::error_code& ec, const std::string& what, Side side,
                      bool deadline_expired) {
  if (deadline_expired) {
    return Status(ErrorCode::kDeadlineExceeded, Tr(what + "超时", what + " timed out"));
  }
  if (!ec) return Status::Ok();
  std::string detail = what + ": " + DescribeAsioError(ec);
  if (side == Side::kTerminal && IsRevokedAlert(ec)) {
    return Status(ErrorCode::kPermissionDenied,
                  Tr("本终端的证书已被同步服务器吊销，连接被拒绝；请联系管理员重新登记本终端（",
                     "this terminal's certificate was revoked: the sync server refused the "
                     "connection; ask the "
                     "administrator to enrol this terminal again (") +
                      detail + ")");
  }
  if (IsTls(ec)) {
    return Status(ErrorCode::kUnauthenticated,
                  Tr("TLS 认证失败（", "TLS authentication failed (") + detail + ")");
  }
  if (IsConnectionLoss(ec)) return ConnectionLost(detail, side);
  if (ec == asio::error::access_denied) {
    return Status(ErrorCode::kPermissionDenied,
                  Tr("操作系统拒绝（", "refused by the operating system (") + detail + ")");
  }
  return Status(ErrorCode::kIoError, Tr("网络错误（", "network error (") + detail + ")");
}

}  // namespace onecard::net
