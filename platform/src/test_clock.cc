#include "onecard/platform/test_clock.h"

#include "onecard/platform/status.h"

namespace onecard::platform {

std::int64_t TestClock::WallMs() const {
  std::lock_guard lock(mu_);
  // Towards the past, like a real clock read just before the next millisecond.
  return wall_ns_ >= 0 ? wall_ns_ / 1'000'000 : -((-wall_ns_ + 999'999) / 1'000'000);
}

SteadyTime TestClock::Steady() const {
  std::lock_guard lock(mu_);
  return SteadyTime(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::nanoseconds(steady_ns_)));
}

void TestClock::SetWallMs(std::int64_t wall_ms) {
  std::lock_guard lock(mu_);
  wall_ns_ = wall_ms * 1'000'000;
}

void TestClock::Advance(std::chrono::nanoseconds d) {
  ONECARD_CHECK(d.count() >= 0);
  std::lock_guard lock(mu_);
  wall_ns_ += d.count();
  steady_ns_ += d.count();
}

}  // namespace onecard::platform
