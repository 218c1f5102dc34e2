#include "onecard/net/memory_stream.h"

#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>

namespace onecard::net {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

TEST(MemoryStreamTest, BytesWrittenAtOneEndAreReadAtTheOther) {
  asio::io_context io;
  auto ends = MemoryStream::MakePair(io.get_executor());
  std::string sent = "hello", received(5, '\0');
  size_t read_n = 0;
  asio::async_read(ends.second, asio::buffer(received), [&](error_code ec, size_t n) {
    EXPECT_FALSE(ec);
    read_n = n;
  });
  asio::async_write(ends.first, asio::buffer(sent),
                    [](error_code ec, size_t) { EXPECT_FALSE(ec); });
  io.run_for(std::chrono::seconds(2));
  EXPECT_EQ(read_n, 5u);
  EXPECT_EQ(received, sent);
}

TEST(MemoryStreamTest, CutDeliversExactlyTheAllowanceThenEndOfStream) {
  asio::io_context io;
  auto ends = MemoryStream::MakePair(io.get_executor());
  ends.second.CutAfter(3);
  std::string sent = "abcdef", received(6, '\0');
  error_code read_ec;
  size_t read_n = 0;
  asio::async_write(ends.first, asio::buffer(sent), [](error_code, size_t) {});
  asio::async_read(ends.second, asio::buffer(received), [&](error_code ec, size_t n) {
    read_ec = ec;
    read_n = n;
  });
  io.run_for(std::chrono::seconds(2));
  EXPECT_EQ(read_ec, asio::error::eof);
  EXPECT_EQ(read_n, 3u);
  EXPECT_EQ(received.substr(0, 3), "abc");
}

TEST(MemoryStreamTest, StalledReadWaitsUntilClosed) {
  asio::io_context io;
  auto ends = MemoryStream::MakePair(io.get_executor());
  ends.second.StallAfter(2);
  std::string sent = "abcdef", received(6, '\0');
  bool done = false;
  error_code read_ec;
  asio::async_write(ends.first, asio::buffer(sent), [](error_code, size_t) {});
  asio::async_read(ends.second, asio::buffer(received), [&](error_code ec, size_t) {
    done = true;
    read_ec = ec;
  });
  io.run_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(done);
  ends.second.close();
  io.restart();
  io.run_for(std::chrono::seconds(2));
  EXPECT_TRUE(done);
  EXPECT_EQ(read_ec, asio::error::operation_aborted);
}

}  // namespace
}  // namespace onecard::net
