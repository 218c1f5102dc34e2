// What the plain and the TLS test clients share (http_test_client.h, https_test_client.h): one
// HTTP/1.1 connection over `Stream` (beast::tcp_stream, or an ssl_stream over one), requests one at
// a time, each operation run on the client's own io_context within a deadline. The clients make
// the stream and connect it; everything after the connection is here. Test-only.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "onecard/http/message.h"
#include "onecard/protocol/status.h"
#include "read_within.h"

namespace onecard::http::testing {

// kUnavailable naming the step that failed and why.
inline Status ConnectionFailed(const std::string& what, const boost::system::error_code& ec) {
  return Status(ErrorCode::kUnavailable, what + ": " + ec.message());
}

// Starts an asynchronous operation with a handler that records its error, and runs `io` until it
// completes. The stream's expiry (set before) bounds how long that takes.
template <typename Start>
boost::system::error_code RunOperation(boost::asio::io_context& io, Start start) {
  boost::system::error_code result = boost::asio::error::would_block;
  start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

template <typename Stream>
class TestConnection {
 public:
  virtual ~TestConnection() = default;
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  // Writes `request` (Host, when missing, and Content-Length filled in) and reads one response.
  Result<Response> Send(RawRequest request) {
    request.version(11);
    if (request.find(beast_http::field::host) == request.end())
      request.set(beast_http::field::host, host_);
    request.prepare_payload();
    Expire();
    auto ec = RunOperation(
        io_, [&](auto handler) { boost::beast::http::async_write(stream(), request, handler); });
    if (ec) return ConnectionFailed("write", ec);
    return ReadResponse();
  }
  Result<Response> Get(std::string_view target) {
    return Send(RawRequest(Method::get, target, 11));
  }
  // Writes raw bytes (a request that a well-behaved client could not produce).
  Status WriteRaw(std::string_view bytes) {
    Expire();
    auto ec = RunOperation(io_, [&](auto handler) {
      boost::asio::async_write(stream(), boost::asio::buffer(bytes), handler);
    });
    return ec ? ConnectionFailed("write", ec) : Status::Ok();
  }
  // Reads one response (after WriteRaw).
  Result<Response> ReadResponse() {
    Response response;
    Expire();
    auto ec = RunOperation(io_, [&](auto handler) {
      boost::beast::http::async_read(stream(), buffer_, response, handler);
    });
    if (ec) return ConnectionFailed("read", ec);
    return response;
  }
  // The bytes that arrive next (at least one) within `within`: kDeadlineExceeded when none came,
  // kUnavailable when the server closed (message "end of stream") or the connection failed.
  Result<std::string> ReadSome(std::chrono::milliseconds within) {
    if (buffer_.size() > 0) {  // left over from reading a response head
      std::string held = boost::beast::buffers_to_string(buffer_.data());
      buffer_.consume(buffer_.size());
      return held;
    }
    return ReadWithin(io_, stream(), within);
  }
  // True when the server closed the connection (EOF or reset) before `within` passed; what
  // arrives before (the rest of a response) is read and dropped.
  bool WaitForClose(std::chrono::milliseconds within) {
    const auto until = std::chrono::steady_clock::now() + within;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left <= std::chrono::milliseconds(0)) return false;
      Result<std::string> got = ReadSome(left);
      if (got.ok()) continue;
      return got.status().code() == ErrorCode::kUnavailable;
    }
  }

 protected:
  // `host`: the Host field sent when a request has none.
  TestConnection(std::string host, std::chrono::milliseconds deadline)
      : host_(std::move(host)), deadline_(deadline) {}

  virtual Stream& stream() = 0;
  // The deadline of the next operation starts now.
  void Expire() { boost::beast::get_lowest_layer(stream()).expires_after(deadline_); }

  boost::asio::io_context io_;  // made before the stream that a client builds on it

 private:
  boost::beast::flat_buffer buffer_;
  const std::string host_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace onecard::http::testing
