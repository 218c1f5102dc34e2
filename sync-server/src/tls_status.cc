#include "tls_status.h"

#include <openssl/err.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include "onecard/protocol/i18n.h"

namespace onecard::server {

namespace asio = boost::asio;

std::string DescribeAsioError(const boost::system::error_code& ec) {
  if (ec.category() == asio::error::get_ssl_category()) {
    char text[256];
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), text, sizeof(text));
    return text;
  }
  return ec.message();
}

Status StatusFromAsio(const boost::system::error_code& ec, const std::string& what, bool deadline_expired) {
  if (deadline_expired) {
    return Status(ErrorCode::kDeadlineExceeded, Tr(what + "超时", what + " timed out"));
  }
  if (!ec) return Status::Ok();
  std::string detail = what + ": " + DescribeAsioError(ec);
  if (ec.category() == asio::error::get_ssl_category()) {
    return Status(ErrorCode::kUnauthenticated, Tr("TLS 认证失败（", "TLS authentication failed (") + detail + ")");
  }
  if (ec == asio::ssl::error::stream_truncated || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
      ec == asio::error::broken_pipe || ec == asio::error::connection_refused ||
      ec == asio::error::host_unreachable || ec == asio::error::network_unreachable ||
      ec == asio::error::timed_out || ec == asio::error::operation_aborted ||
      ec == asio::error::address_in_use || ec == asio::error::shut_down) {
    return Status(ErrorCode::kUnavailable, Tr("连接中断或不可用（", "connection lost or unavailable (") + detail + ")");
  }
  if (ec == asio::error::access_denied) {
    return Status(ErrorCode::kPermissionDenied, Tr("操作系统拒绝（", "refused by the operating system (") + detail + ")");
  }
  return Status(ErrorCode::kIoError, Tr("网络错误（", "network error (") + detail + ")");
}

}  // namespace onecard::server
