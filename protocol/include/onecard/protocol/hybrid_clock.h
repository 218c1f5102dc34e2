// Hybrid logical clock (Kulkarni et al.): timestamps that follow physical time but never go
// backwards and always exceed every timestamp already seen, so events are ordered consistently with
// causality even when terminals' clocks disagree.
//
// A timestamp is (unix milliseconds << 16) | counter. Pure: the caller supplies physical time.
#pragma once

#include <cstdint>

#include "onecard/platform/clock.h"

namespace onecard {

// How far ahead of a receiver's own clock a stamp may be (protocol/docs/sync.md, "Validation of
// events"): the server refuses events stamped further ahead, and a terminal does not adopt such
// stamps from what it pulls, so one wrong or hostile clock cannot drag every replica's clock (and
// every later edit's stamp) into the future.
inline constexpr uint64_t kMaxClockAheadMs = 60ull * 60 * 1000;

class HybridClock {
 public:
  explicit HybridClock(uint64_t last = 0) : last_(last) {}

  // A new timestamp greater than every one issued or observed so far.
  uint64_t Now(uint64_t physical_ms);
  // Takes note of a timestamp received from elsewhere.
  void Observe(uint64_t remote) {
    if (remote > last_) last_ = remote;
  }
  // Observe, unless `remote` is more than kMaxClockAheadMs ahead of `physical_ms` (the receiver's
  // own clock). Returns false when it was not adopted.
  bool ObserveBounded(uint64_t remote, uint64_t physical_ms) {
    if (IsTooFarAhead(remote, physical_ms)) return false;
    Observe(remote);
    return true;
  }
  static bool IsTooFarAhead(uint64_t remote, uint64_t physical_ms) {
    return PhysicalMs(remote) > physical_ms + kMaxClockAheadMs;
  }
  uint64_t last() const { return last_; }

  static uint64_t PhysicalMs(uint64_t hlc) { return hlc >> 16; }
  // The physical time to pass to Now and ObserveBounded: `clock`'s wall time (0 before 1970).
  static uint64_t PhysicalNowMs(const platform::Clock& clock) {
    const int64_t ms = clock.WallMs();
    return ms > 0 ? static_cast<uint64_t>(ms) : 0;
  }

 private:
  uint64_t last_;
};

}  // namespace onecard
