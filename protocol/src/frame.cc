#include "onecard/protocol/frame.h"

#include <limits>
#include <string>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/utf8.h"

namespace onecard {

size_t EncodedBodySize(const wire::Envelope& envelope) { return envelope.ByteSizeLong(); }

Bytes EncodeFrame(const wire::Envelope& envelope) {
  size_t size = envelope.ByteSizeLong();
  ONECARD_CHECK(size <= std::numeric_limits<uint32_t>::max());
  Bytes out;
  out.reserve(kFrameHeaderSize + size);
  AppendU32(out, static_cast<uint32_t>(size));
  out.resize(kFrameHeaderSize + size);
  ONECARD_CHECK(envelope.SerializeToArray(out.data() + kFrameHeaderSize, static_cast<int>(size)));
  return out;
}

FrameDecodeResult DecodeFrame(ByteSpan input, uint32_t max_frame_bytes) {
  FrameDecodeResult result;
  if (input.size() < kFrameHeaderSize) {
    result.state = FrameState::kNeedMore;
    result.needed = kFrameHeaderSize;
    return result;
  }
  uint32_t length = ReadU32(input);
  if (length == 0) {
    result.state = FrameState::kBad;
    result.error = Status(ErrorCode::kInvalidArgument,
                          Tr("收到长度为零的帧", "received a frame of length zero"));
    return result;
  }
  if (length > max_frame_bytes) {
    result.state = FrameState::kBad;
    result.error = Status(
        ErrorCode::kResourceExhausted,
        Tr("帧长度 " + std::to_string(length) + " 超过上限 " + std::to_string(max_frame_bytes),
           "frame length " + std::to_string(length) + " exceeds the limit of " +
               std::to_string(max_frame_bytes)));
    return result;
  }
  size_t total = kFrameHeaderSize + static_cast<size_t>(length);
  if (input.size() < total) {
    result.state = FrameState::kNeedMore;
    result.needed = total;
    return result;
  }
  // ParseFromArray takes an int size; max_frame_bytes is uint32 and may exceed INT_MAX.
  if (length > static_cast<uint32_t>(std::numeric_limits<int>::max()) ||
      !result.envelope.ParseFromArray(input.data() + kFrameHeaderSize, static_cast<int>(length))) {
    result.state = FrameState::kBad;
    result.error =
        Status(ErrorCode::kInvalidArgument, Tr("帧内容无法解析", "frame body does not parse"));
    return result;
  }
  if (result.envelope.body_case() == wire::Envelope::BODY_NOT_SET) {
    result.state = FrameState::kBad;
    result.error =
        Status(ErrorCode::kInvalidArgument,
               Tr("帧中没有可识别的消息", "frame carries no message this version knows"));
    return result;
  }
  result.state = FrameState::kComplete;
  result.consumed = total;
  return result;
}

wire::Envelope ErrorEnvelope(const Status& status) {
  ONECARD_CHECK(!status.ok());
  wire::Envelope envelope;
  envelope.mutable_error()->set_code(ErrorCodeName(status.code()));
  // A protobuf string must be UTF-8, or the peer cannot decode the reply at all.
  envelope.mutable_error()->set_message(EscapeMalformedUtf8(status.message()));
  return envelope;
}

ErrorCode ErrorCodeFromName(std::string_view name) {
  for (int i = static_cast<int>(ErrorCode::kInvalidArgument);
       i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    ErrorCode code = static_cast<ErrorCode>(i);
    if (name == ErrorCodeName(code)) return code;
  }
  return ErrorCode::kInternal;
}

Status StatusFromWireError(const wire::Error& error) {
  ErrorCode code = ErrorCodeFromName(error.code());
  return Status(code, Tr("服务器拒绝：", "refused by the server: ") + error.message());
}

}  // namespace onecard
