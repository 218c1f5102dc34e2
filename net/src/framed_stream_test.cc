// ReadFrame and WriteFrame over the in-memory stream: whole frames, frames cut or stalled at every
// byte boundary, and frames the reader must refuse.
#include "onecard/net/framed_stream.h"

#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <vector>

#include "net_test_util.h"
#include "onecard/net/asio_status.h"
#include "onecard/net/deadline.h"
#include "onecard/net/memory_stream.h"
#include "onecard/protocol/i18n.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored \
    "-Wmismatched-new-delete"  // Asio coroutine frames; see sync_session.cc
#endif

namespace onecard::net {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using namespace std::chrono_literals;
using testing::HelloEnvelope;
using testing::RunFor;

constexpr uint32_t kMax = 1024;

// Writes `bytes` from `writer` (raw, not necessarily a whole frame), then reads one frame on
// `reader`.
awaitable<FrameRead> WriteRawThenRead(MemoryStream& writer, Bytes bytes, MemoryStream& reader,
                                      Bytes& buffer, uint32_t max = kMax,
                                      bool close_writer = false) {
  auto [ec, n] =
      co_await asio::async_write(writer, asio::buffer(bytes), asio::as_tuple(asio::use_awaitable));
  EXPECT_FALSE(ec);
  if (close_writer) writer.close();
  co_return co_await ReadFrame(reader, buffer, max);
}

Bytes Header(uint32_t length) {
  Bytes header;
  AppendU32(header, length);
  return header;
}

class FramedStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { SetLanguage(Language::kEn); }
  asio::io_context io_;
};

TEST_F(FramedStreamTest, SeveralFramesRoundTripInOrder) {
  auto ends = MemoryStream::MakePair(io_.get_executor());
  MemoryStream& a = ends.first;
  MemoryStream& b = ends.second;
  std::vector<wire::Envelope> sent = {HelloEnvelope("T1"), HelloEnvelope("T2", 300),
                                      HelloEnvelope("T3", 1)};
  wire::Envelope error = ErrorEnvelope(Status(ErrorCode::kNotFound, "nothing here"));
  sent.push_back(error);
  auto exchange = [&]() -> awaitable<std::vector<FrameRead>> {
    for (const wire::Envelope& envelope : sent) EXPECT_FALSE(co_await WriteFrame(a, envelope));
    std::vector<FrameRead> reads;
    Bytes buffer;
    for (size_t i = 0; i < sent.size(); ++i) reads.push_back(co_await ReadFrame(b, buffer, kMax));
    co_return reads;
  };
  std::optional<std::vector<FrameRead>> reads = RunFor(io_, exchange());
  ASSERT_TRUE(reads.has_value());
  ASSERT_EQ(reads->size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    ASSERT_EQ((*reads)[i].kind, FrameRead::Kind::kFrame) << i;
    EXPECT_EQ((*reads)[i].envelope.SerializeAsString(), sent[i].SerializeAsString()) << i;
  }
  EXPECT_EQ((*reads)[3].envelope.error().message(), "nothing here");
}

TEST_F(FramedStreamTest, FrameOfExactlyTheLimitIsReadAndOneByteMoreIsRefused) {
  wire::Envelope envelope = HelloEnvelope("T1", 100);
  const auto size = static_cast<uint32_t>(EncodedBodySize(envelope));
  for (uint32_t max : {size, size - 1}) {
    auto ends = MemoryStream::MakePair(io_.get_executor());
    MemoryStream& a = ends.first;
    MemoryStream& b = ends.second;
    Bytes buffer;
    std::optional<FrameRead> read =
        RunFor(io_, WriteRawThenRead(a, EncodeFrame(envelope), b, buffer, max));
    ASSERT_TRUE(read.has_value());
    if (max == size) {
      EXPECT_EQ(read->kind, FrameRead::Kind::kFrame);
    } else {
      ASSERT_EQ(read->kind, FrameRead::Kind::kRefused);
      EXPECT_EQ(read->refusal.code(), ErrorCode::kResourceExhausted);
    }
  }
}

// The connection ends after every possible number of bytes of a frame, both by the reader's
// fault injection and by the writer closing its end: always kEnded with end of stream and the
// number of bytes received, never a partial message, and a kUnavailable Status.
TEST_F(FramedStreamTest, FrameCutAtEveryByteBoundaryEndsCleanly) {
  const Bytes frame = EncodeFrame(HelloEnvelope("T-cut", 20));
  for (size_t cut = 0; cut < frame.size(); ++cut) {
    for (bool writer_closes : {false, true}) {
      SCOPED_TRACE("cut after " + std::to_string(cut) +
                   (writer_closes ? " (writer closes)" : " (CutAfter)"));
      auto ends = MemoryStream::MakePair(io_.get_executor());
      MemoryStream& a = ends.first;
      MemoryStream& b = ends.second;
      Bytes written = frame;
      if (writer_closes) {
        written.resize(cut);
      } else {
        b.CutAfter(cut);
      }
      Bytes buffer;
      std::optional<FrameRead> read =
          RunFor(io_, WriteRawThenRead(a, written, b, buffer, kMax, writer_closes));
      ASSERT_TRUE(read.has_value()) << "the read hung";
      ASSERT_EQ(read->kind, FrameRead::Kind::kEnded);
      EXPECT_EQ(read->error, asio::error::eof);
      EXPECT_EQ(read->bytes_received, cut);
      EXPECT_EQ(read->EndedBetweenFrames(), cut == 0);
      EXPECT_EQ(read->EndedInBody(), cut >= kFrameHeaderSize);
      EXPECT_EQ(read->envelope.body_case(), wire::Envelope::BODY_NOT_SET);
      Status status = StatusFromAsio(read->error, "read", Side::kServer);
      EXPECT_EQ(status.code(), ErrorCode::kUnavailable);
      EXPECT_EQ(status.message(), "connection lost or unavailable (read: End of file)");
    }
  }
}

// The peer stops sending after every possible number of bytes of a frame: the deadline closes the
// stream, and the read ends with the deadline's error well within a bound.
TEST_F(FramedStreamTest, FrameStalledAtEveryByteBoundaryReachesTheDeadline) {
  const Bytes frame = EncodeFrame(HelloEnvelope("T-stall", 3));
  constexpr auto kTimeout = 20ms;
  for (size_t stall = 0; stall < frame.size(); ++stall) {
    SCOPED_TRACE("stall after " + std::to_string(stall));
    auto ends = MemoryStream::MakePair(io_.get_executor());
    MemoryStream& a = ends.first;
    MemoryStream& b = ends.second;
    b.StallAfter(stall);
    Deadline deadline(io_.get_executor(), [&b] { b.close(); });
    Bytes buffer;
    auto read_under_deadline = [&]() -> awaitable<FrameRead> {
      deadline.Arm(kTimeout);
      FrameRead read = co_await WriteRawThenRead(a, frame, b, buffer);
      deadline.Disarm();
      co_return read;
    };
    const auto start = std::chrono::steady_clock::now();
    std::optional<FrameRead> read = RunFor(io_, read_under_deadline(), 5s);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(read.has_value()) << "the read hung past its deadline";
    EXPECT_GE(elapsed, kTimeout);
    EXPECT_LT(elapsed, 2s);
    EXPECT_TRUE(deadline.expired());
    ASSERT_EQ(read->kind, FrameRead::Kind::kEnded);
    EXPECT_EQ(read->error, asio::error::operation_aborted);
    EXPECT_EQ(read->bytes_received, stall);
    Status status = StatusFromAsio(read->error, "read", Side::kServer, deadline.expired());
    EXPECT_EQ(status.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_EQ(status.message(), "read timed out");
  }
}

// An announced length over the limit is refused from the header alone: the body is never awaited
// (the writer sends none, so waiting would hang) and no room is reserved for it.
TEST_F(FramedStreamTest, OversizeLengthIsRefusedBeforeAllocating) {
  for (uint32_t announced : {kMax + 1, 0x7fffffffu, 0xffffffffu}) {
    SCOPED_TRACE(announced);
    auto ends = MemoryStream::MakePair(io_.get_executor());
    MemoryStream& a = ends.first;
    MemoryStream& b = ends.second;
    Bytes buffer;
    std::optional<FrameRead> read =
        RunFor(io_, WriteRawThenRead(a, Header(announced), b, buffer), 2s);
    ASSERT_TRUE(read.has_value()) << "the reader waited for the body of a refused frame";
    ASSERT_EQ(read->kind, FrameRead::Kind::kRefused);
    EXPECT_EQ(read->refusal.code(), ErrorCode::kResourceExhausted);
    EXPECT_LT(buffer.capacity(), kMax);
  }
}

TEST_F(FramedStreamTest, ZeroLengthIsRefused) {
  auto ends = MemoryStream::MakePair(io_.get_executor());
  MemoryStream& a = ends.first;
  MemoryStream& b = ends.second;
  Bytes buffer;
  std::optional<FrameRead> read = RunFor(io_, WriteRawThenRead(a, Header(0), b, buffer), 2s);
  ASSERT_TRUE(read.has_value());
  ASSERT_EQ(read->kind, FrameRead::Kind::kRefused);
  EXPECT_EQ(read->refusal.code(), ErrorCode::kInvalidArgument);
}

TEST_F(FramedStreamTest, GarbageBodyIsRefusedAndNothingIsReturned) {
  auto ends = MemoryStream::MakePair(io_.get_executor());
  MemoryStream& a = ends.first;
  MemoryStream& b = ends.second;
  Bytes bytes = Header(6);
  bytes.insert(bytes.end(), {0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
  Bytes buffer;
  std::optional<FrameRead> read = RunFor(io_, WriteRawThenRead(a, bytes, b, buffer), 2s);
  ASSERT_TRUE(read.has_value());
  ASSERT_EQ(read->kind, FrameRead::Kind::kRefused);
  EXPECT_EQ(read->refusal.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(read->envelope.body_case(), wire::Envelope::BODY_NOT_SET);
}

TEST_F(FramedStreamTest, WriteToAClosedPeerFails) {
  auto ends = MemoryStream::MakePair(io_.get_executor());
  MemoryStream& a = ends.first;
  MemoryStream& b = ends.second;
  b.close();
  auto write = [&]() -> awaitable<boost::system::error_code> {
    co_return co_await WriteFrame(a, HelloEnvelope("T"));
  };
  std::optional<boost::system::error_code> ec = RunFor(io_, write());
  ASSERT_TRUE(ec.has_value());
  EXPECT_EQ(*ec, asio::error::broken_pipe);
  EXPECT_EQ(StatusFromAsio(*ec, "write", Side::kServer).code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace onecard::net
