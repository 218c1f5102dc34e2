// A Beast HTTPS client for tests: one connection, requests one at a time, every operation within
// a deadline (the client's own io_context is run for at most that long). Test-only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "onecard/http/message.h"
#include "onecard/protocol/status.h"

namespace onecard::http::testing {

class HttpsTestClient {
 public:
  // Trusts only `ca_cert_pem` and checks the server's certificate names 127.0.0.1.
  HttpsTestClient(uint16_t port, const std::string& ca_cert_pem,
                  std::chrono::milliseconds deadline = std::chrono::seconds(10));

  // TCP connect and TLS handshake.
  Status Connect();
  // Writes `request` (Host, Content-Length filled in) and reads one response.
  Result<Response> Send(RawRequest request);
  // A GET of `target` with optional extra header fields.
  Result<Response> Get(std::string_view target);
  // Writes raw bytes (a request that a well-behaved client could not produce).
  Status WriteRaw(std::string_view bytes);
  // Reads one response after WriteRaw.
  Result<Response> ReadResponse();
  // The bytes that arrive next (at least one) within `within`: kDeadlineExceeded when none came,
  // kUnavailable when the server closed (message "end of stream") or the connection failed.
  Result<std::string> ReadSome(std::chrono::milliseconds within);
  // True when the server closed the connection (EOF or reset) before `within` passed.
  bool WaitForClose(std::chrono::milliseconds within);

 private:
  boost::asio::io_context io_;
  boost::asio::ssl::context tls_;
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  uint16_t port_;
  std::chrono::milliseconds deadline_;
};

}  // namespace onecard::http::testing
