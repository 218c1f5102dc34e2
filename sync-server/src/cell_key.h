// Cell key perturbation of the officials' counts (docs/disclosure-control.md; the method of the
// Australian Bureau of Statistics' TableBuilder and of Cantabular): what is published for a cell
// is a deterministic function of the cell's true count and of its *cell key*, the sum modulo 2^32
// of the fixed random keys of the records it counts (record_key.h). The same set of records
// therefore gets the same published value in every table, every time it is asked, while two
// different sets (a cell and the same cell less one child) get independent perturbations, so
// that no sum of answers averages the noise away or differences it out exactly.
//
// This is the seam every counts backend calls: whatever counts the cells (the SQL over children
// today, the aggregate model later) delivers each cell as (n, key sum) and publishes through
// PublishCount / PublishCounts. Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace onecard::server {

// A cell as counted: its true count and its cell key (the sum of its records' keys, mod 2^32).
struct KeyedCount {
  int64_t n = 0;
  uint32_t key = 0;

  // Counts one more record (or a whole cell) into this one.
  void Add(const KeyedCount& other) {
    n += other.n;
    key += other.key;  // unsigned: wraps modulo 2^32
  }
};

// A published value below this is suppressed ("<5"): shown neither as itself nor as the true count.
inline constexpr int64_t kSmallCell = 5;

// The perturbation table: the noise added to a count is at most kMaxNoise either way, drawn by the
// cell key with these weights (out of kNoiseWeightTotal) for -4, -3, …, +4: a discretised bell of
// mean 0 and variance 2.97 (standard deviation 1.72). For counts 1 to 4 the values that would take
// the count below 1 are left out and the others keep their relative weights (a non-empty cell is
// never published as 0, and an empty one always is).
inline constexpr int kMaxNoise = 4;
inline constexpr std::array<uint32_t, 2 * kMaxNoise + 1> kNoiseWeights = {20,  55,  120, 190, 230,
                                                                          190, 120, 55,  20};
inline constexpr uint32_t kNoiseWeightTotal = 1000;

// The noise for a cell of true count `n` >= 1 with cell key `key`, in [max(1 - n, -kMaxNoise),
// kMaxNoise]. The key's place in [0, 2^32) picks it, in proportion to the weights.
int Noise(int64_t n, uint32_t key);

// What is published for a cell: 0 for an empty cell; otherwise n + Noise(n, key), or none
// (suppressed) when that is below kSmallCell. Never a true count of 1 to 4.
std::optional<int64_t> PublishCount(const KeyedCount& cell);

// PublishCount of each cell, in order.
std::vector<std::optional<int64_t>> PublishCounts(const std::vector<KeyedCount>& cells);

}  // namespace onecard::server
