// libFuzzer target: the sync wire decoder (DecodeFrame: the 4-byte length, the limit checked
// before allocating, the protobuf Envelope) and the message fields the server and the client
// read from it, on arbitrary bytes as sent by a hostile peer. Checks the decoder's contract:
//   - complete: consumed = 4 + length <= input size, and the envelope encodes to a frame that
//     decodes again as complete;
//   - need more: needed > input size and needed <= 4 + limit (nothing over the limit is awaited);
//   - any prefix of a complete frame is "need more" (a frame is never accepted early);
//   - a smaller limit never accepts what a larger one rejects.
#include <cstddef>
#include <cstdint>

#include "onecard/protocol/frame.h"
#include "onecard/protocol/status.h"

namespace {

constexpr uint32_t kSmallLimit = 256;

void ReadEveryField(const onecard::wire::Envelope& e) {
  // What the sessions read of each message; must not crash whatever was set.
  switch (e.body_case()) {
    case onecard::wire::Envelope::kPush:
      for (const auto& event : e.push().events()) {
        (void)event.terminal_id().size();
        (void)event.payload().size();
      }
      break;
    case onecard::wire::Envelope::kError:
      (void)onecard::StatusFromWireError(e.error());
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace onecard;
  ByteSpan in(data, size);
  FrameDecodeResult r = DecodeFrame(in, kDefaultMaxFrameBytes);
  switch (r.state) {
    case FrameState::kComplete: {
      ONECARD_CHECK(r.consumed >= kFrameHeaderSize + 1 && r.consumed <= size);
      ReadEveryField(r.envelope);
      Bytes again = EncodeFrame(r.envelope);
      FrameDecodeResult back = DecodeFrame(again, kDefaultMaxFrameBytes);
      ONECARD_CHECK(back.state == FrameState::kComplete && back.consumed == again.size());
      // Every strict prefix of the frame waits for more (checked at a few cut points).
      for (size_t cut : {size_t{0}, size_t{1}, kFrameHeaderSize, r.consumed / 2, r.consumed - 1}) {
        if (cut >= r.consumed) continue;
        FrameDecodeResult prefix = DecodeFrame(ByteSpan(data, cut), kDefaultMaxFrameBytes);
        ONECARD_CHECK(prefix.state == FrameState::kNeedMore);
      }
      break;
    }
    case FrameState::kNeedMore:
      ONECARD_CHECK(r.needed > size && r.needed <= kFrameHeaderSize + kDefaultMaxFrameBytes);
      break;
    case FrameState::kBad:
      ONECARD_CHECK(!r.error.ok());
      break;
  }
  FrameDecodeResult small = DecodeFrame(in, kSmallLimit);
  if (r.state == FrameState::kBad) ONECARD_CHECK(small.state == FrameState::kBad);
  if (small.state == FrameState::kComplete)
    ONECARD_CHECK(small.consumed <= kFrameHeaderSize + kSmallLimit);
  return 0;
}
