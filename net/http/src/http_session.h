// One HTTP connection, from accept to close: (TLS handshake,) then requests one after another
// (HTTP/1.1 keep-alive, no pipelining beyond what is already buffered), each within its deadlines,
// and each answer written; or, for a stream route, one event stream. Generic over the stream: the
// same code serves HTTPS (TlsStream) and plain HTTP on loopback (PlainStream); only the handshake,
// the close and the security headers differ. Internal to onecard_http.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include "event_stream_writer.h"
#include "server_state.h"
#include "streams.h"

namespace onecard::http {

template <typename Stream>
class HttpSession : public StoppableSession,
                    public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  // `socket`'s executor must be a strand: the session's I/O and its stop are serialized by it.
  // For TlsStream, `state->tls` must be set.
  HttpSession(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket);

  // Runs the connection to its end. Never throws for anything the peer does.
  boost::asio::awaitable<void> Run();

  // Graceful stop: an idle connection is closed at once, an event stream ends, a request in
  // progress is finished first.
  void PostStop() override;
  boost::asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  using Clock = std::chrono::steady_clock;

  // Runs on the strand: what PostStop asks for.
  void StopOnStrand();
  // Serves one request; true when the connection should wait for another.
  boost::asio::awaitable<bool> ServeOne(bool first);
  // Waits (idle) for the first bytes of a request; false when none came.
  boost::asio::awaitable<bool> AwaitRequestStart(bool first);
  // Answers a request the server refused (or returns nothing to send), then the connection closes.
  boost::asio::awaitable<bool> Refuse(const boost::system::error_code& ec,
                                      Clock::time_point started);
  // Writes `response` within the write deadline; false when it could not be written.
  boost::asio::awaitable<bool> Send(Response response, bool keep_alive);
  // Writes the head of an event stream and then its events until it ends (event_stream_writer.h);
  // the connection closes afterwards.
  boost::asio::awaitable<void> ServeEventStream(const RawRequest& request, Routed routed,
                                                Clock::time_point started);
  // After a refusal: the request's unread rest (a body over the limit) is still arriving, and
  // closing a socket with unread data resets the connection, which can destroy the refusal before
  // the client reads it. So the sending side is shut (the client sees the end of the answer), and
  // what arrives is read and discarded until the client closes, 1 MiB, or shutdown_timeout.
  // No TLS close_notify is sent: the answer's Content-Length tells the client it is complete.
  boost::asio::awaitable<void> LingeringClose();
  // Ends a connection that is in a sound state: TLS close_notify (within shutdown_timeout) or a
  // TCP shutdown, then close.
  boost::asio::awaitable<void> Shutdown();
  void Log(std::string method, std::string path, unsigned status, Clock::time_point started) const;

  std::shared_ptr<ServerState> state_;
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::string peer_address_;  // handed to the handlers
  std::string remote_;        // address:port, for the access log
  uint64_t served_ = 0;
  bool idle_ = false;
  bool cancelled_ = false;
  std::shared_ptr<EventStreamWriter<Stream>> events_;  // set while an event stream runs
};

extern template class HttpSession<TlsStream>;
extern template class HttpSession<PlainStream>;

}  // namespace onecard::http
