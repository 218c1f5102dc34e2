// A Beast HTTPS client for tests (test_connection.h: one connection, requests one at a time,
// every operation within a deadline). Test-only.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "onecard/protocol/status.h"
#include "test_connection.h"

namespace onecard::http::testing {

using TlsTestStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

class HttpsTestClient : public TestConnection<TlsTestStream> {
 public:
  // Trusts only `ca_cert_pem` and checks the server's certificate names 127.0.0.1.
  HttpsTestClient(uint16_t port, const std::string& ca_cert_pem,
                  std::chrono::milliseconds deadline = std::chrono::seconds(10));

  // TCP connect and TLS handshake.
  Status Connect();

 private:
  TlsTestStream& stream() override { return stream_; }

  boost::asio::ssl::context tls_;
  TlsTestStream stream_;
  uint16_t port_;
  std::chrono::milliseconds deadline_;
};

}  // namespace onecard::http::testing
