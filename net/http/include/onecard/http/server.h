// An HTTP/1.1 server: accepts connections, reads requests within limits and deadlines, hands each
// to a Router and writes the answer with the security headers (security_headers.h). It speaks
// either HTTPS (any address) or plain HTTP on a loopback address only (the desk, opened by a
// browser on the same machine, for which http://127.0.0.1 is a secure context).
//
//   auto tls = net::MakeHttpsContext("server.pem", "server.key");  // net/tls_https_context.h
//   Router router;
//   router.Get("/api/v1/ping", [](const Request&) { ... });
//   HttpServer server(io, **tls, router);  // the desk: HttpServer(io, kPlainLoopback, router)
//   ASSIGN_OR_RETURN(uint16_t port, server.Listen({asio::ip::make_address("0.0.0.0"), 8443}));
//   io.run();  // until Stop() and the last connection has closed
//
// Every network operation has a deadline (ServerLimits). A slow or silent client is cut when its
// deadline passes and never holds up other clients: each connection is a coroutine on its own
// strand. Requests breaking a limit get a JSON error and the connection is closed:
// 400 malformed request, 413 body too large, 431 header too large or too many header fields.
// Routes registered with Router::Stream answer with an event stream (event_channel.h).
//
// Privacy: the access log gets method, path (never the query), status and duration; request
// bodies, cookie values and other headers are never logged.
//
// Lifetime: `io`, `tls` and `router` must outlive every handler the io_context runs (until
// io.run() returns after Stop()). Thread-safety: Stop() and counters() may be called from any
// thread; io.run() may run on several threads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "onecard/http/router.h"
#include "onecard/protocol/status.h"

namespace onecard::http {

struct ServerLimits {
  size_t max_body_bytes = 1 << 20;      // 413 above this
  size_t max_header_bytes = 16 * 1024;  // request line and fields together; 431 above this
  size_t max_header_count = 64;         // fields; 431 above this
  size_t max_connections = 256;         // further connections are closed as soon as accepted
  size_t max_requests_per_connection = 1000;
  std::chrono::milliseconds handshake_timeout{10'000};  // TLS only
  // From the first byte of a request to its last header byte (a new connection's first byte must
  // also arrive within this after the handshake).
  std::chrono::milliseconds header_timeout{10'000};
  // From the first byte of a request to its last body byte.
  std::chrono::milliseconds request_timeout{30'000};
  // Writing one response; in an event stream, writing one event or heartbeat (a client that
  // stops reading is cut).
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive: waiting for the next request
  // Closing: the TLS close_notify exchange, a lingering close, the end of an event stream.
  std::chrono::milliseconds shutdown_timeout{2'000};
  // Event streams: a comment line is written when nothing else was for this long, so a client
  // that is gone is found out (its write fails or stalls past write_timeout).
  std::chrono::milliseconds event_stream_heartbeat{15'000};
  // Event streams end after this long; EventSource reconnects by itself (with Last-Event-ID).
  std::chrono::milliseconds event_stream_lifetime{600'000};
};

// One line of the access log; never holds bodies, queries, cookies or other headers.
struct AccessLogEntry {
  std::string remote;  // "127.0.0.1:51234"
  std::string method;  // "GET"; "-" when the request could not be parsed
  std::string path;    // the raw path without the query; "-" when unparsed
  unsigned status = 0;
  std::chrono::milliseconds duration{0};  // first request byte to response written
};

struct ServerOptions {
  ServerLimits limits;
  // Called on an I/O thread after each response; must be thread-safe when io.run() runs on
  // several threads. Empty: no access log.
  std::function<void(const AccessLogEntry&)> access_log;
};

struct ServerCounters {
  uint64_t accepted = 0;          // TCP connections accepted (including those refused below)
  uint64_t refused = 0;           // closed at once: max_connections reached or stopping
  uint64_t handshake_failed = 0;  // TLS handshake failed or timed out (never for plain HTTP)
  uint64_t timed_out = 0;         // cut by a deadline while reading a request or writing
  uint64_t requests = 0;          // responses written (any status); an event stream counts once
  uint64_t rejected = 0;          // requests answered 400/413/431 by the server itself
  uint64_t active = 0;            // connections open now
  uint64_t active_streams = 0;    // event streams open now (counted in `active` too)
};

struct ServerState;  // internal: shared by the server and its connections

// Selects the plain-HTTP constructor of HttpServer.
struct PlainLoopback {};
inline constexpr PlainLoopback kPlainLoopback{};

class HttpServer {
 public:
  // HTTPS: every connection starts with a TLS handshake (within handshake_timeout) on `tls`.
  HttpServer(boost::asio::io_context& io, boost::asio::ssl::context& tls, const Router& router,
             ServerOptions options = {});
  // Plain HTTP, for a browser on the same machine: Listen accepts loopback addresses only
  // (127.0.0.0/8, ::1). No Strict-Transport-Security header (meaningless without TLS); the rest
  // of the server (limits, deadlines, refusals, access log, counters, Stop) is the same.
  HttpServer(boost::asio::io_context& io, PlainLoopback, const Router& router,
             ServerOptions options = {});
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  // Stops (see Stop); connections still open finish on the io_context.
  ~HttpServer();

  // Binds and starts accepting. Returns the bound port (useful with port 0).
  // kInvalidArgument for a plain server and an address that is not loopback; kUnavailable naming
  // the address when it cannot be bound; kFailedPrecondition when already listening or stopped.
  Result<uint16_t> Listen(const boost::asio::ip::tcp::endpoint& endpoint);

  // Graceful stop: no new connections; idle keep-alive connections are closed now; event streams
  // end now; a request being read or answered is finished (within its deadlines) and its
  // connection then closed. Returns at once; io.run() returns when the last connection is gone.
  // Idempotent.
  void Stop();

  ServerCounters counters() const;

 private:
  std::shared_ptr<ServerState> state_;
};

}  // namespace onecard::http
