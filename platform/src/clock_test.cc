#include "onecard/platform/clock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "onecard/platform/test_clock.h"

namespace onecard::platform {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(SystemClock, WallTimeIsAfter2024AndSteadyTimeDoesNotGoBack) {
  const Clock& clock = SystemClock();
  EXPECT_GT(clock.WallMs(), int64_t{1'704'067'200'000});  // 2024-01-01
  const int64_t seconds = clock.WallSeconds();
  EXPECT_LE(seconds, clock.WallMs() / 1000);
  EXPECT_GE(seconds + 1, clock.WallMs() / 1000);  // a second boundary may pass between the reads
  SteadyTime a = clock.Steady();
  SteadyTime b = clock.Steady();
  EXPECT_LE(a, b);
  EXPECT_EQ(&SystemClock(), &clock);
}

TEST(TestClock, StartsWhereToldAndMovesOnlyWhenTold) {
  TestClock clock(1'000'000);
  const SteadyTime start = clock.Steady();
  EXPECT_EQ(clock.WallMs(), 1'000'000);
  EXPECT_EQ(clock.WallSeconds(), 1'000);
  EXPECT_EQ(clock.Steady(), start);
  clock.Advance(milliseconds(1500));
  EXPECT_EQ(clock.WallMs(), 1'001'500);
  EXPECT_EQ(clock.Steady() - start, milliseconds(1500));
  EXPECT_EQ(TestClock().WallMs(), TestClock::kDefaultWallMs);
}

TEST(TestClock, SettingWallTimeLeavesSteadyTimeAlone) {
  TestClock clock;
  const SteadyTime start = clock.Steady();
  clock.SetWallMs(5);
  EXPECT_EQ(clock.WallMs(), 5);
  clock.SetWallMs(-1);  // before 1970: seconds round towards the past
  EXPECT_EQ(clock.WallSeconds(), -1);
  EXPECT_EQ(clock.Steady(), start);
}

TEST(TestClock, StepsShorterThanAMillisecondAddUp) {
  TestClock clock(0);
  for (int i = 0; i < 3; ++i) clock.Advance(nanoseconds(400'000));
  EXPECT_EQ(clock.WallMs(), 1);  // 1.2 ms
  clock.Advance(nanoseconds(800'000));
  EXPECT_EQ(clock.WallMs(), 2);  // 2.0 ms
}

TEST(TestClock, AdvancesFromManyThreadsAreAllCounted) {
  TestClock clock(0);
  const SteadyTime start = clock.Steady();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&clock] {
      for (int i = 0; i < 1000; ++i) {
        clock.Advance(nanoseconds(250'000));
        (void)clock.WallMs();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(clock.WallMs(), 1000);
  EXPECT_EQ(clock.Steady() - start, milliseconds(1000));
}

}  // namespace
}  // namespace onecard::platform
