#include "http_test_client.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "read_within.h"

namespace onecard::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

Status Failed(const std::string& what, const boost::system::error_code& ec) {
  return Status(ErrorCode::kUnavailable, what + ": " + ec.message());
}

// Starts an asynchronous operation with a handler that records its error and byte count, and runs
// the client's io_context until it completes. The stream's expiry (set before) bounds the wait.
template <typename Start>
boost::system::error_code RunOp(asio::io_context& io, Start start, size_t* bytes = nullptr) {
  boost::system::error_code result = asio::error::would_block;
  start([&result, bytes](boost::system::error_code ec, auto... n) {
    result = ec;
    if (bytes != nullptr) ((*bytes = n), ...);  // n: the byte count, when the operation has one
  });
  io.restart();
  io.run();
  return result;
}

}  // namespace

HttpTestClient::HttpTestClient(uint16_t port, std::string address,
                               std::chrono::milliseconds deadline)
    : stream_(io_), address_(std::move(address)), port_(port), deadline_(deadline) {}

Status HttpTestClient::Connect(int receive_buffer) {
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(address_), port_);
  if (receive_buffer > 0) {
    stream_.socket().open(endpoint.protocol());
    stream_.socket().set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  }
  stream_.expires_after(deadline_);
  auto ec = RunOp(io_, [&](auto handler) { stream_.async_connect(endpoint, handler); });
  return ec ? Failed("connect", ec) : Status::Ok();
}

Result<Response> HttpTestClient::Send(RawRequest request) {
  request.version(11);
  if (request.find(beast::http::field::host) == request.end())
    request.set(beast::http::field::host, address_);
  request.prepare_payload();
  stream_.expires_after(deadline_);
  auto ec = RunOp(io_, [&](auto handler) { beast::http::async_write(stream_, request, handler); });
  if (ec) return Failed("write", ec);
  return ReadResponse();
}

Result<Response> HttpTestClient::Get(std::string_view target) {
  return Send(RawRequest(Method::get, target, 11));
}

Status HttpTestClient::WriteRaw(std::string_view bytes) {
  stream_.expires_after(deadline_);
  auto ec =
      RunOp(io_, [&](auto handler) { asio::async_write(stream_, asio::buffer(bytes), handler); });
  return ec ? Failed("write", ec) : Status::Ok();
}

Result<Response> HttpTestClient::ReadResponse() {
  Response response;
  stream_.expires_after(deadline_);
  auto ec = RunOp(
      io_, [&](auto handler) { beast::http::async_read(stream_, buffer_, response, handler); });
  if (ec) return Failed("read", ec);
  return response;
}

Result<std::string> HttpTestClient::ReadSome(std::chrono::milliseconds within) {
  if (buffer_.size() > 0) {  // left over from reading a response head
    std::string held = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    return held;
  }
  return ReadWithin(io_, stream_, within);
}

bool HttpTestClient::WaitForClose(std::chrono::milliseconds within) {
  auto until = std::chrono::steady_clock::now() + within;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0)) return false;
    Result<std::string> got = ReadSome(left);
    if (got.ok()) continue;  // the rest of a response: not yet the end
    return got.status().code() == ErrorCode::kUnavailable;
  }
}

}  // namespace onecard::http::testing
