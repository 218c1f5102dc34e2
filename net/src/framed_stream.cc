#include "onecard/net/framed_stream.h"

#include <utility>

namespace onecard::net {

FrameRead FrameRead::Ended(const boost::system::error_code& error, size_t bytes_received) {
  FrameRead read;
  read.kind = Kind::kEnded;
  read.error = error;
  read.bytes_received = bytes_received;
  return read;
}

FrameRead FrameRead::Decoded(FrameDecodeResult decoded) {
  FrameRead read;
  switch (decoded.state) {
    case FrameState::kComplete:
      read.kind = Kind::kFrame;
      read.envelope = std::move(decoded.envelope);
      break;
    case FrameState::kBad:
      read.kind = Kind::kRefused;
      read.refusal = std::move(decoded.error);
      break;
    case FrameState::kNeedMore:
      // Cannot happen for a buffer of exactly the announced size; refused rather than trusted.
      read.kind = Kind::kRefused;
      read.refusal = Status(ErrorCode::kInternal, "frame decoder wanted more after a whole frame");
      break;
  }
  return read;
}

}  // namespace onecard::net
