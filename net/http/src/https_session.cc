#include "https_session.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <tuple>
#include <utility>

#include "onecard/http/security_headers.h"
#include "read_errors.h"

namespace onecard::http {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 4096;
constexpr size_t kMaxDrainBytes = 1 << 20;

// The peer's address ("" when the socket has none) and, for logs, address:port ("-").
std::pair<std::string, std::string> RemoteOf(const asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {"", "-"};
  std::string address = endpoint.address().to_string();
  return {address, address + ":" + std::to_string(endpoint.port())};
}

std::string PathOnly(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}

size_t FieldCount(const RawRequest& request) {
  size_t n = 0;
  for (auto it = request.begin(); it != request.end(); ++it) ++n;
  return n;
}

}  // namespace

HttpsSession::HttpsSession(std::shared_ptr<ServerState> state, asio::ip::tcp::socket socket)
    : state_(std::move(state)), stream_(beast::tcp_stream(std::move(socket)), state_->tls) {
  std::tie(peer_address_, remote_) = RemoteOf(beast::get_lowest_layer(stream_).socket());
}

asio::awaitable<void> HttpsSession::Run() {
  const ServerLimits& limits = state_->options.limits;
  beast::get_lowest_layer(stream_).expires_after(limits.handshake_timeout);
  auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kAwait);
  if (ec) {
    ++state_->handshake_failed;
    beast::get_lowest_layer(stream_).close();
    co_return;
  }
  bool first = true;
  while (co_await ServeOne(first)) first = false;
  co_await Shutdown();
}

void HttpsSession::CloseIfIdle() {
  if (!idle_) return;  // a request in progress finishes; ServeOne sees `stopping` afterwards
  cancelled_ = true;
  beast::get_lowest_layer(stream_).cancel();
}

asio::awaitable<bool> HttpsSession::AwaitRequestStart(bool first) {
  if (buffer_.size() > 0) co_return true;  // the client already sent the next request
  if (state_->stopping) co_return false;
  const ServerLimits& limits = state_->options.limits;
  beast::get_lowest_layer(stream_).expires_after(first ? limits.header_timeout
                                                       : limits.idle_timeout);
  idle_ = true;
  auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kAwait);
  idle_ = false;
  if (ec) co_return false;  // idle timeout, the client closed, or Stop() closed an idle connection
  buffer_.commit(n);
  co_return true;
}

asio::awaitable<bool> HttpsSession::ServeOne(bool first) {
  if (!co_await AwaitRequestStart(first)) co_return false;
  const ServerLimits& limits = state_->options.limits;
  auto& tcp = beast::get_lowest_layer(stream_);
  const Clock::time_point started = Clock::now();
  beast::http::request_parser<beast::http::string_body> parser;
  parser.header_limit(static_cast<uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);

  tcp.expires_at(started + limits.header_timeout);
  auto [header_ec, header_n] =
      co_await beast::http::async_read_header(stream_, buffer_, parser, kAwait);
  if (header_ec) co_return co_await Refuse(header_ec, started);
  if (FieldCount(parser.get()) > limits.max_header_count) {
    ++state_->rejected;
    Response response = TooManyHeaderFields(limits.max_header_count);
    Log(std::string(parser.get().method_string()), PathOnly(parser.get().target()),
        response.result_int(), started);
    if (co_await Send(std::move(response), false)) co_await LingeringClose();
    co_return false;
  }
  if (!parser.is_done()) {
    tcp.expires_at(started + limits.request_timeout);
    auto [body_ec, body_n] = co_await beast::http::async_read(stream_, buffer_, parser, kAwait);
    if (body_ec) co_return co_await Refuse(body_ec, started);
  }
  RawRequest request = parser.release();
  Response response = state_->router.Dispatch(request, peer_address_);
  bool keep_alive =
      request.keep_alive() && !state_->stopping && ++served_ < limits.max_requests_per_connection;
  unsigned status = response.result_int();
  bool sent = co_await Send(std::move(response), keep_alive);
  Log(std::string(request.method_string()), PathOnly(request.target()), status, started);
  co_return sent&& keep_alive;
}

asio::awaitable<bool> HttpsSession::Refuse(const boost::system::error_code& ec,
                                           Clock::time_point started) {
  ReadFailure failure = ClassifyReadError(ec);
  if (failure.outcome == ReadOutcome::kTimedOut) ++state_->timed_out;
  if (failure.outcome != ReadOutcome::kRespond) co_return false;
  ++state_->rejected;
  Log("-", "-", failure.response->result_int(), started);
  if (co_await Send(std::move(*failure.response), false)) co_await LingeringClose();
  co_return false;
}

asio::awaitable<bool> HttpsSession::Send(Response response, bool keep_alive) {
  ApplySecurityHeaders(response);
  response.keep_alive(keep_alive);
  beast::get_lowest_layer(stream_).expires_after(state_->options.limits.write_timeout);
  auto [ec, n] = co_await beast::http::async_write(stream_, response, kAwait);
  ++state_->requests;
  if (ec == beast::error::timeout) ++state_->timed_out;
  co_return !ec;
}

asio::awaitable<void> HttpsSession::LingeringClose() {
  auto& tcp = beast::get_lowest_layer(stream_);
  boost::system::error_code ignored;
  tcp.socket().shutdown(asio::socket_base::shutdown_send, ignored);
  tcp.expires_after(state_->options.limits.shutdown_timeout);
  std::array<char, kReadChunk> sink;
  for (size_t drained = 0; drained < kMaxDrainBytes;) {
    auto [ec, n] = co_await tcp.async_read_some(asio::buffer(sink), kAwait);
    if (ec) break;
    drained += n;
  }
  tcp.close();
}

asio::awaitable<void> HttpsSession::Shutdown() {
  auto& tcp = beast::get_lowest_layer(stream_);
  if (!cancelled_ && tcp.socket().is_open()) {
    // close_notify tells the client the response was complete; its reply is awaited briefly.
    tcp.expires_after(state_->options.limits.shutdown_timeout);
    co_await stream_.async_shutdown(kAwait);  // its outcome changes nothing: the socket closes next
  }
  tcp.close();
}

void HttpsSession::Log(std::string method, std::string path, unsigned status,
                       Clock::time_point started) const {
  if (!state_->options.access_log) return;
  AccessLogEntry entry{
      remote_, std::move(method), std::move(path), status,
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started)};
  state_->options.access_log(entry);
}

}  // namespace onecard::http
