#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "http_session.h"
#include "onecard/http/server.h"
#include "onecard/net/listener.h"
#include "onecard/protocol/i18n.h"

namespace onecard::http {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// Runs one session and keeps the registry and the active count right however it ends.
template <typename Stream>
asio::awaitable<void> RunSession(std::shared_ptr<ServerState> state,
                                 std::shared_ptr<HttpSession<Stream>> session) {
  std::list<std::weak_ptr<StoppableSession>>::iterator entry;
  {
    std::lock_guard lock(state->mutex);
    entry = state->sessions.insert(state->sessions.end(), session);
  }
  co_await session->Run();
  std::lock_guard lock(state->mutex);
  state->sessions.erase(entry);
  --state->active;
}

template <typename Stream>
void SpawnSession(const std::shared_ptr<ServerState>& state, tcp::socket socket) {
  auto session = std::make_shared<HttpSession<Stream>>(state, std::move(socket));
  auto executor = session->executor();
  asio::co_spawn(executor, RunSession<Stream>(state, std::move(session)), asio::detached);
}

// Accepts until the acceptor is closed. Connections beyond max_connections are closed at once:
// refusing early is cheaper for both sides than a TLS handshake followed by an error.
asio::awaitable<void> AcceptLoop(std::shared_ptr<ServerState> state) {
  asio::steady_timer backoff(state->acceptor_strand);
  for (;;) {
    auto [ec, socket] =
        co_await state->acceptor->async_accept(asio::make_strand(state->io), kAwait);
    if (state->stopping || !state->acceptor->is_open()) co_return;
    if (ec) {
      // Out of descriptors and the like: wait a little instead of spinning.
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(kAwait);
      continue;
    }
    ++state->accepted;
    if (state->active >= state->options.limits.max_connections) {
      ++state->refused;
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    ++state->active;
    if (state->tls != nullptr) {
      SpawnSession<TlsStream>(state, std::move(socket));
    } else {
      SpawnSession<PlainStream>(state, std::move(socket));
    }
  }
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, asio::ssl::context& tls, const Router& router,
                       ServerOptions options)
    : state_(std::make_shared<ServerState>(io, &tls, router, std::move(options))) {}

HttpServer::HttpServer(asio::io_context& io, PlainLoopback, const Router& router,
                       ServerOptions options)
    : state_(std::make_shared<ServerState>(io, nullptr, router, std::move(options))) {}

HttpServer::~HttpServer() { Stop(); }

Result<uint16_t> HttpServer::Listen(const tcp::endpoint& endpoint) {
  if (state_->stopping || state_->acceptor) {
    return Status(
        ErrorCode::kFailedPrecondition,
        Tr("HTTP 服务已在监听或已停止", "the HTTP server is already listening or stopped"));
  }
  // Plain HTTP carries personal data in the clear: only a browser on this machine may reach it.
  // An IPv4-mapped address (::ffff:127.0.0.1) is refused too: is_loopback() is false for it.
  if (state_->tls == nullptr && !endpoint.address().is_loopback()) {
    std::string address = endpoint.address().to_string();
    return Status(
        ErrorCode::kInvalidArgument,
        Tr("不加密的 HTTP 只能监听本机回环地址（127.0.0.1 或 ::1），不能监听 " + address,
           "plain HTTP listens on a loopback address only (127.0.0.1 or ::1), not on " + address));
  }
  auto acceptor = std::make_unique<tcp::acceptor>(state_->acceptor_strand);
  RETURN_IF_ERROR(net::Listen(*acceptor, endpoint));
  uint16_t port = acceptor->local_endpoint().port();
  state_->acceptor = std::move(acceptor);
  asio::co_spawn(state_->acceptor_strand, AcceptLoop(state_), asio::detached);
  return port;
}

void HttpServer::Stop() {
  if (state_->stopping.exchange(true)) return;
  std::shared_ptr<ServerState> state = state_;
  asio::dispatch(state->acceptor_strand, [state] {
    boost::system::error_code ignored;
    if (state->acceptor) state->acceptor->close(ignored);
  });
  std::lock_guard lock(state->mutex);
  for (const auto& weak : state->sessions) {
    if (auto session = weak.lock()) session->PostStop();
  }
}

ServerCounters HttpServer::counters() const {
  const ServerState& s = *state_;
  return {s.accepted, s.refused,  s.handshake_failed, s.timed_out,
          s.requests, s.rejected, s.active,           s.active_streams};
}

}  // namespace onecard::http
