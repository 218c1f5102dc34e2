// TestClock: a Clock that moves only when told to, for tests of code whose behaviour depends on
// time passing (expiries, deadlines, "today"). Thread-safe: a test may set or advance it while the
// code under test reads it on other threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

#include "onecard/platform/clock.h"

namespace onecard::platform {

class TestClock : public Clock {
 public:
  static constexpr std::int64_t kDefaultWallMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

  // Starts at wall time `wall_ms` and an arbitrary steady time.
  explicit TestClock(std::int64_t wall_ms = kDefaultWallMs) : wall_ns_(wall_ms * 1'000'000) {}

  std::int64_t WallMs() const override;
  SteadyTime Steady() const override;

  // Sets the wall time (it may go backwards, as a real wall clock may); steady time is untouched.
  void SetWallMs(std::int64_t wall_ms);
  // Moves wall and steady time forward together by `d`. Precondition: d >= 0.
  void Advance(std::chrono::nanoseconds d);

 private:
  mutable std::mutex mu_;
  // Both kept in nanoseconds so that steps shorter than a millisecond add up exactly.
  std::int64_t wall_ns_;
  std::int64_t steady_ns_ = 1'000'000'000;
};

}  // namespace onecard::platform
