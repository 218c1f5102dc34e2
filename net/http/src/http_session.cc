#include "http_session.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <tuple>
#include <utility>

#include "event_stream_format.h"
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

template <typename Stream>
Stream OpenStream(asio::ip::tcp::socket socket, ServerState& state) {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    return TlsStream(beast::tcp_stream(std::move(socket)), *state.tls);
  } else {
    return PlainStream(std::move(socket));
  }
}

}  // namespace

template <typename Stream>
HttpSession<Stream>::HttpSession(std::shared_ptr<ServerState> state, asio::ip::tcp::socket socket)
    : state_(std::move(state)), stream_(OpenStream<Stream>(std::move(socket), *state_)) {
  std::tie(peer_address_, remote_) = RemoteOf(beast::get_lowest_layer(stream_).socket());
}

template <typename Stream>
asio::awaitable<void> HttpSession<Stream>::Run() {
  if constexpr (kTls) {
    beast::get_lowest_layer(stream_).expires_after(state_->options.limits.handshake_timeout);
    auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kAwait);
    if (ec) {
      ++state_->handshake_failed;
      beast::get_lowest_layer(stream_).close();
      co_return;
    }
  }
  bool first = true;
  while (co_await ServeOne(first)) first = false;
  co_await Shutdown();
}

template <typename Stream>
void HttpSession<Stream>::PostStop() {
  asio::post(executor(), [self = this->shared_from_this()] { self->StopOnStrand(); });
}

template <typename Stream>
void HttpSession<Stream>::StopOnStrand() {
  if (events_) {
    events_->Stop();
    return;
  }
  if (!idle_) return;  // a request in progress finishes; ServeOne sees `stopping` afterwards
  cancelled_ = true;
  beast::get_lowest_layer(stream_).cancel();
}

template <typename Stream>
asio::awaitable<bool> HttpSession<Stream>::AwaitRequestStart(bool first) {
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

template <typename Stream>
asio::awaitable<bool> HttpSession<Stream>::ServeOne(bool first) {
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
  Routed routed = state_->router.Route(request, peer_address_);
  if (routed.events) {
    co_await ServeEventStream(request, std::move(routed), started);
    co_return false;
  }
  bool keep_alive =
      request.keep_alive() && !state_->stopping && ++served_ < limits.max_requests_per_connection;
  unsigned status = routed.response.result_int();
  bool sent = co_await Send(std::move(routed.response), keep_alive);
  Log(std::string(request.method_string()), PathOnly(request.target()), status, started);
  co_return sent&& keep_alive;
}

template <typename Stream>
asio::awaitable<void> HttpSession<Stream>::ServeEventStream(const RawRequest& request,
                                                            Routed routed,
                                                            Clock::time_point started) {
  const ServerLimits& limits = state_->options.limits;
  uint64_t after = StreamStartsAfter(request["Last-Event-ID"], routed.events->last_id());
  ApplySecurityHeaders(routed.response, kTls ? Transport::kTls : Transport::kPlain);
  events_ = std::make_shared<EventStreamWriter<Stream>>(stream_, *state_, std::move(routed.events),
                                                        after, request.version() >= 11);
  ++state_->active_streams;
  StreamEnd end = co_await events_->Run(std::move(routed.response),
                                        Clock::now() + limits.event_stream_lifetime);
  --state_->active_streams;
  events_.reset();
  if (end == StreamEnd::kTimedOut) ++state_->timed_out;
  if (!EndedSoundly(end)) cancelled_ = true;  // Shutdown then closes without a TLS close_notify
  Log(std::string(request.method_string()), PathOnly(request.target()), 200, started);
  co_await Shutdown();
}

template <typename Stream>
asio::awaitable<bool> HttpSession<Stream>::Refuse(const boost::system::error_code& ec,
                                                  Clock::time_point started) {
  ReadFailure failure = ClassifyReadError(ec);
  if (failure.outcome == ReadOutcome::kTimedOut) ++state_->timed_out;
  if (failure.outcome != ReadOutcome::kRespond) co_return false;
  ++state_->rejected;
  Log("-", "-", failure.response->result_int(), started);
  if (co_await Send(std::move(*failure.response), false)) co_await LingeringClose();
  co_return false;
}

template <typename Stream>
asio::awaitable<bool> HttpSession<Stream>::Send(Response response, bool keep_alive) {
  ApplySecurityHeaders(response, kTls ? Transport::kTls : Transport::kPlain);
  response.keep_alive(keep_alive);
  beast::get_lowest_layer(stream_).expires_after(state_->options.limits.write_timeout);
  auto [ec, n] = co_await beast::http::async_write(stream_, response, kAwait);
  ++state_->requests;
  if (ec == beast::error::timeout) ++state_->timed_out;
  co_return !ec;
}

template <typename Stream>
asio::awaitable<void> HttpSession<Stream>::LingeringClose() {
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

template <typename Stream>
asio::awaitable<void> HttpSession<Stream>::Shutdown() {
  auto& tcp = beast::get_lowest_layer(stream_);
  if (!cancelled_ && tcp.socket().is_open()) {
    if constexpr (kTls) {
      // close_notify tells the client the response was complete; its reply is awaited briefly.
      tcp.expires_after(state_->options.limits.shutdown_timeout);
      co_await stream_.async_shutdown(kAwait);  // its outcome changes nothing: the socket closes
    } else {
      boost::system::error_code ignored;
      tcp.socket().shutdown(asio::socket_base::shutdown_send, ignored);
    }
  }
  tcp.close();
  co_return;  // keeps this a coroutine when the plain branch has no co_await
}

template <typename Stream>
void HttpSession<Stream>::Log(std::string method, std::string path, unsigned status,
                              Clock::time_point started) const {
  if (!state_->options.access_log) return;
  AccessLogEntry entry{
      remote_, std::move(method), std::move(path), status,
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started)};
  state_->options.access_log(entry);
}

template class HttpSession<TlsStream>;
template class HttpSession<PlainStream>;

}  // namespace onecard::http
