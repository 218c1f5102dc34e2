// Framed reads and writes of sync envelopes (protocol/include/onecard/protocol/frame.h: a 4-byte
// big-endian length, then one serialized wire::Envelope) over any Asio stream: an
// ssl::stream<tcp::socket> in the programs, a MemoryStream in tests. Coroutines for
// boost::asio::awaitable, like the rest of the sync code.
//
// Neither function has a deadline of its own: the caller arms a Deadline around the call, whose
// firing closes the stream and so ends the pending read or write with an error.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <cstdint>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/frame.h"
#include "onecard/protocol/status.h"
#include "sync.pb.h"

namespace onecard::net {

// The outcome of ReadFrame. Exactly one of three kinds; nothing partial is ever returned.
struct FrameRead {
  enum class Kind {
    kFrame,    // `envelope` is the whole frame's message
    kEnded,    // the stream failed or ended before the frame was whole: `error`, `bytes_received`
    kRefused,  // the frame is not acceptable (DecodeFrame's kBad): `refusal` says why
  };
  Kind kind = Kind::kEnded;
  wire::Envelope envelope;
  boost::system::error_code error;
  // kEnded: bytes of the unfinished frame that arrived; 0 means the stream ended between frames.
  size_t bytes_received = 0;
  // kRefused: kInvalidArgument (zero length, unparsable body, no message) or kResourceExhausted
  // (announced length over the limit, refused from the header alone).
  Status refusal;

  bool EndedBetweenFrames() const { return kind == Kind::kEnded && bytes_received == 0; }
  bool EndedInBody() const { return kind == Kind::kEnded && bytes_received >= kFrameHeaderSize; }

  static FrameRead Ended(const boost::system::error_code& error, size_t bytes_received);
  // From DecodeFrame's answer for a buffer holding the whole announced frame.
  static FrameRead Decoded(FrameDecodeResult decoded);
};

// GCC 12 reports -Wmismatched-new-delete for Asio's coroutine frames (awaitable_frame_base has
// matching class-specific new/delete; a known false positive, seen with the sanitizer build).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Reads one frame into `buffer` (kept by the caller so that its capacity is reused between
// frames). The announced length is checked against `max_frame_bytes` before the body is read or
// any memory is reserved for it, so a peer cannot make this side allocate by announcing a large
// frame: at most kFrameHeaderSize + max_frame_bytes bytes are ever held.
template <typename AsyncReadStream>
boost::asio::awaitable<FrameRead> ReadFrame(AsyncReadStream& stream, Bytes& buffer,
                                            uint32_t max_frame_bytes) {
  namespace asio = boost::asio;
  constexpr auto await = asio::as_tuple(asio::use_awaitable);
  buffer.resize(kFrameHeaderSize);
  auto [ec, n] = co_await asio::async_read(stream, asio::buffer(buffer), await);
  if (ec) co_return FrameRead::Ended(ec, n);
  FrameDecodeResult decoded = DecodeFrame(buffer, max_frame_bytes);
  if (decoded.state == FrameState::kNeedMore) {
    buffer.resize(
        decoded.needed);  // bounded by max_frame_bytes: DecodeFrame judged the header first
    auto [body_ec, body_n] = co_await asio::async_read(
        stream, asio::buffer(buffer.data() + kFrameHeaderSize, buffer.size() - kFrameHeaderSize),
        await);
    if (body_ec) co_return FrameRead::Ended(body_ec, kFrameHeaderSize + body_n);
    decoded = DecodeFrame(buffer, max_frame_bytes);
  }
  co_return FrameRead::Decoded(std::move(decoded));
}

// Writes `envelope` as one frame. The caller keeps the message under the peer's frame limit
// (EncodedBodySize). Returns the stream's error, or none when every byte was written.
template <typename AsyncWriteStream>
boost::asio::awaitable<boost::system::error_code> WriteFrame(AsyncWriteStream& stream,
                                                             const wire::Envelope& envelope) {
  namespace asio = boost::asio;
  Bytes frame = EncodeFrame(envelope);
  auto [ec, n] =
      co_await asio::async_write(stream, asio::buffer(frame), asio::as_tuple(asio::use_awaitable));
  co_return ec;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace onecard::net
