#include "https_test_client.h"

#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
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

// Starts an asynchronous operation with a handler that records its error, and runs the client's
// io_context until it completes. The stream's expiry (set before) bounds how long that takes.
template <typename Start>
boost::system::error_code RunOp(asio::io_context& io, Start start) {
  boost::system::error_code result = asio::error::would_block;
  start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

}  // namespace

HttpsTestClient::HttpsTestClient(uint16_t port, const std::string& ca_cert_pem,
                                 std::chrono::milliseconds deadline)
    : tls_(asio::ssl::context::tls_client), stream_(io_, tls_), port_(port), deadline_(deadline) {
  tls_.add_certificate_authority(asio::buffer(ca_cert_pem));
  tls_.set_verify_mode(asio::ssl::verify_peer);
  stream_.set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
}

Status HttpsTestClient::Connect() {
  auto& tcp = beast::get_lowest_layer(stream_);
  tcp.expires_after(deadline_);
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port_);
  auto ec = RunOp(io_, [&](auto handler) { tcp.async_connect(endpoint, handler); });
  if (ec) return Failed("connect", ec);
  tcp.expires_after(deadline_);
  ec = RunOp(
      io_, [&](auto handler) { stream_.async_handshake(asio::ssl::stream_base::client, handler); });
  if (ec) return Failed("TLS handshake", ec);
  return Status::Ok();
}

Result<Response> HttpsTestClient::Send(RawRequest request) {
  request.version(11);
  if (request.find(beast::http::field::host) == request.end())
    request.set(beast::http::field::host, "127.0.0.1");
  request.prepare_payload();
  beast::get_lowest_layer(stream_).expires_after(deadline_);
  auto ec = RunOp(io_, [&](auto handler) { beast::http::async_write(stream_, request, handler); });
  if (ec) return Failed("write", ec);
  return ReadResponse();
}

Result<Response> HttpsTestClient::Get(std::string_view target) {
  RawRequest request(Method::get, target, 11);
  return Send(std::move(request));
}

Status HttpsTestClient::WriteRaw(std::string_view bytes) {
  beast::get_lowest_layer(stream_).expires_after(deadline_);
  auto ec =
      RunOp(io_, [&](auto handler) { asio::async_write(stream_, asio::buffer(bytes), handler); });
  return ec ? Failed("write", ec) : Status::Ok();
}

Result<Response> HttpsTestClient::ReadResponse() {
  Response response;
  beast::get_lowest_layer(stream_).expires_after(deadline_);
  auto ec = RunOp(
      io_, [&](auto handler) { beast::http::async_read(stream_, buffer_, response, handler); });
  if (ec) return Failed("read", ec);
  return response;
}

Result<std::string> HttpsTestClient::ReadSome(std::chrono::milliseconds within) {
  if (buffer_.size() > 0) {  // left over from reading a response head
    std::string held = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    return held;
  }
  return ReadWithin(io_, stream_, within);
}

bool HttpsTestClient::WaitForClose(std::chrono::milliseconds within) {
  // A timer cancels the read instead of the stream's expiry, which would close the connection
  // itself: the caller may go on using it when the server did not close it.
  auto& tcp = beast::get_lowest_layer(stream_);
  tcp.expires_never();
  asio::steady_timer timer(io_, within);
  timer.async_wait([&tcp](boost::system::error_code ec) {
    if (!ec) tcp.socket().cancel();
  });
  char byte = 0;
  auto ec = RunOp(io_, [&](auto handler) {
    stream_.async_read_some(asio::buffer(&byte, 1),
                            [&timer, handler](boost::system::error_code read_ec, size_t n) {
                              timer.cancel();
                              handler(read_ec, n);
                            });
  });
  return ec && ec != asio::error::operation_aborted;
}

}  // namespace onecard::http::testing
