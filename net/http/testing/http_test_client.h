// A Beast plain-HTTP client for tests of the loopback server: one connection, requests one at a
// time, every operation within a deadline (the client's own io_context is run for at most that
// long). The plain counterpart of HttpsTestClient. Test-only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "onecard/http/message.h"
#include "onecard/protocol/status.h"

namespace onecard::http::testing {

class HttpTestClient {
 public:
  explicit HttpTestClient(uint16_t port, std::string address = "127.0.0.1",
                          std::chrono::milliseconds deadline = std::chrono::seconds(10));

  // TCP connect. `receive_buffer` > 0 sets SO_RCVBUF first (a small window makes a client that
  // does not read fill up quickly).
  Status Connect(int receive_buffer = 0);
  // Writes `request` (Host, Content-Length filled in) and reads one response.
  Result<Response> Send(RawRequest request);
  Result<Response> Get(std::string_view target);
  Status WriteRaw(std::string_view bytes);
  Result<Response> ReadResponse();
  // The bytes that arrive next (at least one) within `within`: kDeadlineExceeded when none came,
  // kUnavailable when the server closed (message "end of stream") or the connection failed.
  Result<std::string> ReadSome(std::chrono::milliseconds within);
  // True when the server closed the connection (EOF or reset) before `within` passed.
  bool WaitForClose(std::chrono::milliseconds within);

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::string address_;
  uint16_t port_;
  std::chrono::milliseconds deadline_;
};

}  // namespace onecard::http::testing
