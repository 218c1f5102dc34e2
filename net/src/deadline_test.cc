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

// An io_context and a Deadline on it that counts its expiries.
class DeadlineTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  int fired_ = 0;
  Deadline deadline_{io_.get_executor(), [this] { ++fired_; }};
};

TEST_F(DeadlineTest, FiresOnceAfterTheTimeout) {
  EXPECT_FALSE(deadline_.expired());
  const auto start = std::chrono::steady_clock::now();
  deadline_.Arm(20ms);
  io_.run_for(2s);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_EQ(fired_, 1);
  EXPECT_TRUE(deadline_.expired());
}

TEST_F(DeadlineTest, DisarmedDeadlineNeverFires) {
  deadline_.Arm(10ms);
  deadline_.Disarm();
  io_.run_for(100ms);
  EXPECT_EQ(fired_, 0);
  EXPECT_FALSE(deadline_.expired());
}

TEST_F(DeadlineTest, ReArmingReplacesTheEarlierTimeout) {
  deadline_.Arm(10ms);
  deadline_.Arm(10s);
  io_.run_for(200ms);
  EXPECT_EQ(fired_, 0);
  deadline_.Disarm();
}

TEST_F(DeadlineTest, ExpiredStaysTrueAfterReArming) {
  deadline_.Arm(1ms);
  io_.run_for(1s);
  ASSERT_TRUE(deadline_.expired());
  deadline_.Arm(10s);
  deadline_.Disarm();
  EXPECT_TRUE(deadline_.expired());  // the stream it guarded was closed: the error stays a timeout
}

// The owner of a Deadline may let its on_expiry refer to itself: once the Deadline is destroyed,
// even an expiry whose time has already passed does not run it.
TEST_F(DeadlineTest, DestroyedDeadlineDoesNotRunItsExpiry) {
  auto fired = std::make_shared<int>(0);
  auto deadline = std::make_unique<Deadline>(io_.get_executor(), [fired] { ++*fired; });
  deadline->Arm(1ms);
  std::this_thread::sleep_for(20ms);
  deadline.reset();
  io_.run_for(100ms);
  EXPECT_EQ(*fired, 0);
}

}  // namespace
}  // namespace onecard::net
