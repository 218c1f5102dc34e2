#include "event_stream_writer.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include "event_stream_format.h"

namespace onecard::http {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

StreamEnd FailedEnd(const boost::system::error_code& ec) {
  return ec == beast::error::timeout ? StreamEnd::kTimedOut : StreamEnd::kGone;
}

}  // namespace

template <typename Stream>
EventStreamWriter<Stream>::EventStreamWriter(Stream& stream, ServerState& state,
                                             std::shared_ptr<EventChannel> channel, uint64_t after,
                                             bool chunked)
    : stream_(stream),
      state_(state),
      channel_(std::move(channel)),
      after_(after),
      chunked_(chunked),
      wake_(stream.get_executor()) {}

template <typename Stream>
asio::awaitable<StreamEnd> EventStreamWriter<Stream>::Run(Response head,
                                                          Clock::time_point end_of_life) {
  // The wake-up runs on the publishing thread: it only posts the cancel onto this strand. A
  // writer already gone (weak) is not woken.
  EventChannel::Subscription subscription = EventChannel::Subscribe(
      channel_, [weak = this->weak_from_this(), executor = wake_.get_executor()] {
        asio::post(executor, [weak] {
          if (auto self = weak.lock()) self->wake_.cancel();
        });
      });
  StreamEnd end = co_await WriteAll(std::move(head), end_of_life);
  if (EndedSoundly(end)) co_await WriteEnd();
  co_return end;
}

template <typename Stream>
asio::awaitable<StreamEnd> EventStreamWriter<Stream>::WriteAll(Response head,
                                                               Clock::time_point end_of_life) {
  const ServerLimits& limits = state_.options.limits;
  beast::http::response<beast::http::empty_body> message(std::move(head.base()));
  message.keep_alive(false);
  message.chunked(chunked_);
  beast::http::response_serializer<beast::http::empty_body> serializer(message);
  beast::get_lowest_layer(stream_).expires_after(limits.write_timeout);
  writing_ = true;
  auto [head_ec, head_n] = co_await beast::http::async_write_header(stream_, serializer, kAwait);
  writing_ = false;
  ++state_.requests;
  if (head_ec) co_return FailedEnd(head_ec);
  last_write_ = Clock::now();
  for (;;) {
    // Stopping: what was published before is still sent (a write stuck on a client that does not
    // read is cut by Stop), then the stream ends.
    const bool stopping = stop_ || state_.stopping;
    EventChannel::Backlog backlog = channel_->After(after_);
    std::string text;
    for (const auto& event : backlog.events) text += FormatEvent(*event);
    if (!backlog.events.empty()) after_ = backlog.events.back()->id;
    const Clock::time_point now = Clock::now();
    const Clock::time_point heartbeat_due = last_write_ + limits.event_stream_heartbeat;
    if (text.empty() && !stopping) {
      if (backlog.closed) co_return StreamEnd::kClosed;
      if (now >= end_of_life) co_return StreamEnd::kLifetime;
      if (now >= heartbeat_due) text = kHeartbeat;
    }
    if (!text.empty()) {
      if (auto ec = co_await Write(text)) co_return FailedEnd(ec);
    }
    if (stopping) co_return StreamEnd::kStopped;
    if (!text.empty()) continue;
    // Publish, Close and Stop cancel this wait; the loop then reads the channel again.
    wake_.expires_at(std::min(heartbeat_due, end_of_life));
    co_await wake_.async_wait(kAwait);
  }
}

template <typename Stream>
asio::awaitable<boost::system::error_code> EventStreamWriter<Stream>::Write(
    const std::string& text) {
  beast::get_lowest_layer(stream_).expires_after(state_.options.limits.write_timeout);
  writing_ = true;
  boost::system::error_code ec;
  if (chunked_) {
    std::tie(ec, std::ignore) =
        co_await asio::async_write(stream_, beast::http::make_chunk(asio::buffer(text)), kAwait);
  } else {
    std::tie(ec, std::ignore) = co_await asio::async_write(stream_, asio::buffer(text), kAwait);
  }
  writing_ = false;
  last_write_ = Clock::now();
  co_return ec;
}

template <typename Stream>
asio::awaitable<void> EventStreamWriter<Stream>::WriteEnd() {
  if (!chunked_) co_return;
  beast::get_lowest_layer(stream_).expires_after(state_.options.limits.shutdown_timeout);
  co_await asio::async_write(stream_, beast::http::make_chunk_last(), kAwait);
}

template <typename Stream>
void EventStreamWriter<Stream>::Stop() {
  stop_ = true;
  wake_.cancel();
  if (writing_) beast::get_lowest_layer(stream_).cancel();
}

template class EventStreamWriter<TlsStream>;
template class EventStreamWriter<PlainStream>;

}  // namespace onecard::http
