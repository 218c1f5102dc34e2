// What an HttpsServer shares with its connections. Internal to onecard_http.
// Owned by shared_ptr: the server object and every live connection hold it, so a connection that
// outlives the HttpsServer object (finishing its last request) still has its state.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <list>
#include <memory>
#include <mutex>

#include "onecard/http/server.h"

namespace onecard::http {

class HttpsSession;

struct ServerState {
  ServerState(boost::asio::io_context& io_context, boost::asio::ssl::context& tls_context,
              const Router& r, ServerOptions o)
      : io(io_context),
        tls(tls_context),
        router(r),
        options(std::move(o)),
        acceptor_strand(io_context.get_executor()) {}

  boost::asio::io_context& io;
  boost::asio::ssl::context& tls;
  const Router& router;
  const ServerOptions options;
  boost::asio::strand<boost::asio::io_context::executor_type> acceptor_strand;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;  // used on acceptor_strand only

  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> accepted{0}, refused{0}, handshake_failed{0}, timed_out{0}, requests{0},
      rejected{0}, active{0};

  // Live sessions, so Stop() can close the idle ones. Guarded by `mutex`.
  std::mutex mutex;
  std::list<std::weak_ptr<HttpsSession>> sessions;
};

}  // namespace onecard::http
