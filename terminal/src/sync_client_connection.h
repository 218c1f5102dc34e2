// One TLS connection from the terminal to the sync server, carrying framed request/reply
// exchanges, each under a deadline. Internal to the terminal library.
//
// Single-threaded: all methods run on one io_context driven by one thread. The object must
// outlive every operation it started (RunSync keeps it on its stack around io_context::run()).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <chrono>
#include <string>

#include "onecard/net/deadline.h"
#include "onecard/protocol/bytes.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/sync_client.h"
#include "sync.pb.h"

namespace onecard::terminal {

class SyncConnection {
 public:
  SyncConnection(boost::asio::io_context& io, boost::asio::ssl::context& tls,
                 const SyncOptions& options);
  SyncConnection(const SyncConnection&) = delete;
  SyncConnection& operator=(const SyncConnection&) = delete;

  // Resolves, connects and completes the TLS handshake within options.connect_timeout, checking
  // the server certificate's names against `host`.
  boost::asio::awaitable<Status> Connect(const std::string& host, uint16_t port);
  // Sends `request` and returns the reply, writing and reading each within options.io_timeout. A
  // wire::Error reply becomes its Status; a frame over options.max_frame_bytes or unparsable is
  // kInvalidArgument / kResourceExhausted.
  boost::asio::awaitable<Result<wire::Envelope>> Exchange(const wire::Envelope& request);
  // The two halves of Exchange, for pipelined pushes (sync.md, "Pipelined push"): Send writes
  // one request, Receive reads one reply, each within options.io_timeout, with Exchange's errors.
  boost::asio::awaitable<Status> Send(const wire::Envelope& request);
  boost::asio::awaitable<Result<wire::Envelope>> Receive();
  // Sends close_notify and waits briefly for the server's; errors are ignored.
  boost::asio::awaitable<void> Close();

 private:
  boost::asio::awaitable<Result<wire::Envelope>> ReadEnvelope();

  const SyncOptions& options_;
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
  // Closes the socket when it passes, which ends the pending operation (net/deadline.h).
  net::Deadline deadline_;
  Bytes buffer_;
};

}  // namespace onecard::terminal
