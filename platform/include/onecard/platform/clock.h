// Clock: the one seam through which OneCard reads time.
//
// Code that needs the time takes a `const Clock&` (constructor or options struct) instead of
// reading std::chrono::system_clock / steady_clock or time() itself; a program's main() passes
// SystemClock(), tests pass a TestClock and move time on explicitly instead of sleeping.
//
// Two kinds of time:
//  - wall time, Unix milliseconds (UTC): what is stamped on records, certificates and events and
//    from which "today in China" is computed. It may jump (NTP, an operator setting the clock).
//  - steady time: only differences are meaningful (deadlines, measured durations); never jumps
//    backwards.
#pragma once

#include <chrono>
#include <cstdint>

namespace onecard::platform {

using SteadyTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;

  // Milliseconds since 1970-01-01T00:00:00Z.
  virtual std::int64_t WallMs() const = 0;
  // A monotonic time point; only differences between two readings mean anything.
  virtual SteadyTime Steady() const = 0;

  // Whole seconds since the Unix epoch (rounded towards the past, also before 1970).
  std::int64_t WallSeconds() const;
};

// The machine's clocks. Thread-safe; lives for the whole program.
const Clock& SystemClock();

}  // namespace onecard::platform
