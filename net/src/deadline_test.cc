#include "onecard/net/deadline.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <memory>
#include <thread>

namespace onecard::net {
namespace {

using namespace std::chrono_literals;

TEST(DeadlineTest, FiresOnceAfterTheTimeout) {
  boost::asio::io_context io;
  int fired = 0;
  Deadline deadline(io.get_executor(), [&] { ++fired; });
  EXPECT_FALSE(deadline.expired());
  const auto start = std::chrono::steady_clock::now();
  deadline.Arm(20ms);
  io.run_for(2s);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_EQ(fired, 1);
  EXPECT_TRUE(deadline.expired());
}

TEST(DeadlineTest, DisarmedDeadlineNeverFires) {
  boost::asio::io_context io;
  int fired = 0;
  Deadline deadline(io.get_executor(), [&] { ++fired; });
  deadline.Arm(10ms);
  deadline.Disarm();
  io.run_for(100ms);
  EXPECT_EQ(fired, 0);
  EXPECT_FALSE(deadline.expired());
}

TEST(DeadlineTest, ReArmingReplacesTheEarlierTimeout) {
  boost::asio::io_context io;
  int fired = 0;
  Deadline deadline(io.get_executor(), [&] { ++fired; });
  deadline.Arm(10ms);
  deadline.Arm(10s);
  io.run_for(200ms);
  EXPECT_EQ(fired, 0);
  deadline.Disarm();
}

TEST(DeadlineTest, ExpiredStaysTrueAfterReArming) {
  boost::asio::io_context io;
  Deadline deadline(io.get_executor(), [] {});
  deadline.Arm(1ms);
  io.run_for(1s);
  ASSERT_TRUE(deadline.expired());
  deadline.Arm(10s);
  deadline.Disarm();
  EXPECT_TRUE(deadline.expired());  // the stream it guarded was closed: the error stays a timeout
}

// The owner of a Deadline may let its on_expiry refer to itself: once the Deadline is destroyed,
// even an expiry whose time has already passed does not run it.
TEST(DeadlineTest, DestroyedDeadlineDoesNotRunItsExpiry) {
  boost::asio::io_context io;
  auto fired = std::make_shared<int>(0);
  auto deadline = std::make_unique<Deadline>(io.get_executor(), [fired] { ++*fired; });
  deadline->Arm(1ms);
  std::this_thread::sleep_for(20ms);
  deadline.reset();
  io.run_for(100ms);
  EXPECT_EQ(*fired, 0);
}

}  // namespace
}  // namespace onecard::net
