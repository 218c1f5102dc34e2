#include "onecard/net/asio_status.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include "onecard/protocol/i18n.h"

namespace onecard::net {
namespace {

namespace asio = boost::asio;

boost::system::error_code TlsError(int reason) {
  return {static_cast<int>(ERR_PACK(ERR_LIB_SSL, 0, reason)), asio::error::get_ssl_category()};
}

class AsioStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);
    // OpenSSL's reason texts, loaded in the programs when Asio creates its first TLS context.
    OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, nullptr);
  }
};

TEST_F(AsioStatusTest, NoErrorIsOk) {
  EXPECT_TRUE(StatusFromAsio({}, "read", Side::kServer).ok());
  EXPECT_TRUE(StatusFromAsio({}, "receiving", Side::kTerminal).ok());
}

TEST_F(AsioStatusTest, ExpiredDeadlineWinsOverTheErrorCode) {
  for (Side side : {Side::kServer, Side::kTerminal}) {
    Status status = StatusFromAsio(asio::error::operation_aborted, "read", side, true);
    EXPECT_EQ(status.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_EQ(status.message(), "read timed out");
  }
  SetLanguage(Language::kZh);
  EXPECT_EQ(StatusFromAsio({}, "接收", Side::kTerminal, true).message(), "接收超时");
}

TEST_F(AsioStatusTest, ConnectionLossIsUnavailableInEachSidesWords) {
  for (boost::system::error_code ec :
       {boost::system::error_code(asio::error::eof),
        boost::system::error_code(asio::error::connection_reset),
        boost::system::error_code(asio::error::connection_refused),
        boost::system::error_code(asio::ssl::error::stream_truncated)}) {
    SCOPED_TRACE(ec.message());
    Status terminal = StatusFromAsio(ec, "receiving", Side::kTerminal);
    EXPECT_EQ(terminal.code(), ErrorCode::kUnavailable);
    EXPECT_EQ(terminal.message(),
              "sync server unreachable or connection lost (receiving: " + ec.message() + ")");
    Status server = StatusFromAsio(ec, "read", Side::kServer);
    EXPECT_EQ(server.code(), ErrorCode::kUnavailable);
    EXPECT_EQ(server.message(), "connection lost or unavailable (read: " + ec.message() + ")");
  }
}

TEST_F(AsioStatusTest, TlsFailureIsUnauthenticated) {
  Status status =
      StatusFromAsio(TlsError(SSL_R_CERTIFICATE_VERIFY_FAILED), "TLS handshake", Side::kServer);
  EXPECT_EQ(status.code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(status.message().rfind("TLS authentication failed (TLS handshake: ", 0), 0u)
      << status.message();
}

TEST_F(AsioStatusTest, RevokedAlertTellsTheTerminalItWasRevoked) {
  boost::system::error_code revoked = TlsError(SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED);
  Status terminal = StatusFromAsio(revoked, "receiving", Side::kTerminal);
  EXPECT_EQ(terminal.code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(terminal.message().find("this terminal's certificate was revoked"), std::string::npos);
  EXPECT_EQ(StatusFromAsio(revoked, "read", Side::kServer).code(), ErrorCode::kUnauthenticated);
}

TEST_F(AsioStatusTest, OperatingSystemErrors) {
  EXPECT_EQ(StatusFromAsio(asio::error::access_denied, "listen", Side::kServer).code(),
            ErrorCode::kPermissionDenied);
  Status other = StatusFromAsio(asio::error::no_buffer_space, "write", Side::kServer);
  EXPECT_EQ(other.code(), ErrorCode::kIoError);
  EXPECT_EQ(other.message().rfind("network error (write: ", 0), 0u) << other.message();
}

TEST_F(AsioStatusTest, DescribesTlsErrorsWithOpenSslsReason) {
  EXPECT_NE(DescribeAsioError(TlsError(SSL_R_CERTIFICATE_VERIFY_FAILED))
                .find("certificate verify failed"),
            std::string::npos);
  EXPECT_EQ(DescribeAsioError(asio::error::eof),
            boost::system::error_code(asio::error::eof).message());
}

}  // namespace
}  // namespace onecard::net
