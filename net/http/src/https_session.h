// One HTTPS connection, from TLS handshake to close: reads requests one after another (HTTP/1.1
// keep-alive, no pipelining beyond what is already buffered), each within its deadlines, and
// writes each answer. Internal to onecard_http.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "server_state.h"

namespace onecard::http {

class HttpsSession : public std::enable_shared_from_this<HttpsSession> {
 public:
  // `socket`'s executor must be a strand: the session's I/O and CloseIfIdle are serialized by it.
  HttpsSession(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket);

  // Runs the connection to its end. Never throws for anything the peer does.
  boost::asio::awaitable<void> Run();

  // Closes the connection now when it is waiting for a next request (graceful stop). Must run on
  // the session's strand (post it there).
  void CloseIfIdle();
  boost::asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  using Clock = std::chrono::steady_clock;

  // Serves one request; true when the connection should wait for another.
  boost::asio::awaitable<bool> ServeOne(bool first);
  // Waits (idle) for the first bytes of a request; false when none came.
  boost::asio::awaitable<bool> AwaitRequestStart(bool first);
  // Answers a request the server refused (or returns nothing to send), then the connection closes.
  boost::asio::awaitable<bool> Refuse(const boost::system::error_code& ec,
                                      Clock::time_point started);
  // Writes `response` within the write deadline; false when it could not be written.
  boost::asio::awaitable<bool> Send(Response response, bool keep_alive);
  // After a refusal: the request's unread rest (a body over the limit) is still arriving, and
  // closing a socket with unread data resets the connection, which can destroy the refusal before
  // the client reads it. So the sending side is shut (the client sees the end of the answer), and
  // what arrives is read and discarded until the client closes, 1 MiB, or shutdown_timeout.
  // No TLS close_notify is sent: the answer's Content-Length tells the client it is complete.
  boost::asio::awaitable<void> LingeringClose();
  // Ends a connection that is in a sound state: TLS close_notify (within shutdown_timeout), close.
  boost::asio::awaitable<void> Shutdown();
  void Log(std::string method, std::string path, unsigned status, Clock::time_point started) const;

  std::shared_ptr<ServerState> state_;
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::string peer_address_;  // handed to the handlers
  std::string remote_;        // address:port, for the access log
  uint64_t served_ = 0;
  bool idle_ = false;
  bool cancelled_ = false;
};

}  // namespace onecard::http
