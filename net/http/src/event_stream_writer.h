// Writes one event stream onto a connection: the head, then the channel's events as they are
// published, a heartbeat when nothing was written for event_stream_heartbeat, until the channel
// closes, the server stops, the stream's lifetime ends, or the client is gone. Internal to
// onecard_http; one per stream, owned by its HttpSession.
//
// Waiting: a steady_timer on the connection's strand, set to the next heartbeat (or the end of
// the lifetime). Publish and Close wake it by posting a cancel onto that strand; the loop reads the
// channel again after every wake and every write, so an event published while the stream was
// writing is not lost. No polling.
//
// Framing: chunked for HTTP/1.1 (one chunk per write; the last chunk marks a sound end), the bare
// body for HTTP/1.0 (its end is the connection's). Either way the connection closes afterwards.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "onecard/http/event_channel.h"
#include "onecard/http/message.h"
#include "server_state.h"
#include "streams.h"

namespace onecard::http {

enum class StreamEnd {
  kClosed,    // the application closed the channel
  kStopped,   // the server is stopping
  kLifetime,  // event_stream_lifetime passed
  kGone,      // a write failed (the client closed or reset) or Stop() cut a write
  kTimedOut,  // a write took longer than write_timeout (a client that stopped reading)
};

// True when the stream ended with the connection in a sound state (the end can be written).
inline bool EndedSoundly(StreamEnd end) {
  return end == StreamEnd::kClosed || end == StreamEnd::kStopped || end == StreamEnd::kLifetime;
}

template <typename Stream>
class EventStreamWriter : public std::enable_shared_from_this<EventStreamWriter<Stream>> {
 public:
  using Clock = std::chrono::steady_clock;

  // `stream` and `state` must outlive the writer. Starts after event id `after`.
  EventStreamWriter(Stream& stream, ServerState& state, std::shared_ptr<EventChannel> channel,
                    uint64_t after, bool chunked);

  // Writes `head` (security headers already applied) and then the stream until it ends at the
  // latest at `end_of_life`. After a sound end the last chunk has been written (within
  // shutdown_timeout). Must run on the connection's strand.
  boost::asio::awaitable<StreamEnd> Run(Response head, Clock::time_point end_of_life);

  // Ends the stream: at once when it is waiting, by cutting the connection when it is writing
  // (a client that does not read must not hold up a stop). Must run on the strand.
  void Stop();

 private:
  // Writes the head, then each event and heartbeat until the stream ends.
  boost::asio::awaitable<StreamEnd> WriteAll(Response head, Clock::time_point end_of_life);
  // Writes `text` (one chunk) within write_timeout; an error when it could not.
  boost::asio::awaitable<boost::system::error_code> Write(const std::string& text);
  // The last chunk, within shutdown_timeout (nothing for an HTTP/1.0 stream).
  boost::asio::awaitable<void> WriteEnd();

  Stream& stream_;
  ServerState& state_;
  std::shared_ptr<EventChannel> channel_;
  uint64_t after_;
  bool chunked_;
  boost::asio::steady_timer wake_;
  Clock::time_point last_write_;
  bool stop_ = false;
  bool writing_ = false;
};

extern template class EventStreamWriter<TlsStream>;
extern template class EventStreamWriter<PlainStream>;

}  // namespace onecard::http
