// Reading "whatever arrives next, within a time" from a client stream without closing it when the
// time passes (the stream's own expiry would). Shared by the test clients. Test-only.
#pragma once

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <chrono>
#include <string>

#include "onecard/protocol/status.h"

namespace onecard::http::testing {

// The bytes that arrive next on `stream` (at least one) within `within`, running `io` meanwhile:
// kDeadlineExceeded when none came, kUnavailable when the server closed ("end of stream") or the
// connection failed.
template <typename Stream>
Result<std::string> ReadWithin(boost::asio::io_context& io, Stream& stream,
                               std::chrono::milliseconds within) {
  auto& tcp = boost::beast::get_lowest_layer(stream);
  tcp.expires_never();
  boost::asio::steady_timer timer(io, within);
  bool timed_out = false;
  timer.async_wait([&](boost::system::error_code ec) {
    if (!ec) {
      timed_out = true;
      tcp.socket().cancel();
    }
  });
  std::string data(16 * 1024, '\0');
  size_t n = 0;
  boost::system::error_code result = boost::asio::error::would_block;
  stream.async_read_some(boost::asio::buffer(data), [&](boost::system::error_code ec, size_t got) {
    timer.cancel();
    result = ec;
    n = got;
  });
  io.restart();
  io.run();
  if (timed_out) return Status(ErrorCode::kDeadlineExceeded, "nothing arrived");
  if (result == boost::asio::error::eof) return Status(ErrorCode::kUnavailable, "end of stream");
  if (result) return Status(ErrorCode::kUnavailable, "read: " + result.message());
  data.resize(n);
  return data;
}

}  // namespace onecard::http::testing
