// A Beast plain-HTTP client for tests of the loopback server (test_connection.h: one connection,
// requests one at a time, every operation within a deadline). The plain counterpart of
// HttpsTestClient. Test-only.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "onecard/protocol/status.h"
#include "test_connection.h"

namespace onecard::http::testing {

class HttpTestClient : public TestConnection<boost::beast::tcp_stream> {
 public:
  explicit HttpTestClient(uint16_t port, std::string address = "127.0.0.1",
                          std::chrono::milliseconds deadline = std::chrono::seconds(10));

  // TCP connect. `receive_buffer` > 0 sets SO_RCVBUF first (a small window makes a client that
  // does not read fill up quickly).
  Status Connect(int receive_buffer = 0);

 private:
  boost::beast::tcp_stream& stream() override { return stream_; }

  boost::beast::tcp_stream stream_;
  std::string address_;
  uint16_t port_;
  std::chrono::milliseconds deadline_;
};

}  // namespace onecard::http::testing
