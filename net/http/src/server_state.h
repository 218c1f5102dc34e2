// What an HttpServer shares with its connections. Internal to onecard_http.
// Owned by shared_ptr: the server object and every live connection hold it, so a connection that
// outlives the HttpServer object (finishing its last request) still has its state.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <list>
#include <memory>
#include <mutex>

#include "onecard/http/server.h"

namespace onecard::http {

// What Stop() needs of a live connection, whatever stream it runs over.
class StoppableSession {
 public:
  virtual ~StoppableSession() = default;
  // Asks the connection to end as soon as it soundly can (posted to its strand; any thread).
  virtual void PostStop() = 0;
};

struct ServerState {
  // `tls_context` null: plain HTTP.
  ServerState(boost::asio::io_context& io_context, boost::asio::ssl::context* tls_context,
              const Router& r, ServerOptions o)
      : io(io_context),
        tls(tls_context),
        router(r),
        options(std::move(o)),
        acceptor_strand(io_context.get_executor()) {}

  boost::asio::io_context& io;
  boost::asio::ssl::context* const tls;  // null for plain HTTP on loopback
  const Router& router;
  const ServerOptions options;
  boost::asio::strand<boost::asio::io_context::executor_type> acceptor_strand;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;  // used on acceptor_strand only

  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> accepted{0}, refused{0}, handshake_failed{0}, timed_out{0}, requests{0},
      rejected{0}, active{0}, active_streams{0};

  // Live sessions, so Stop() can reach them. Guarded by `mutex`.
  std::mutex mutex;
  std::list<std::weak_ptr<StoppableSession>> sessions;
};

}  // namespace onecard::http
