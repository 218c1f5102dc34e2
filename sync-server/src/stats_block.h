// A block of the statistics' cells (stats_cube.h; docs/statistics.md): the cells of one cube level
// that share the residence prefix, the hukou prefix and the *head* attributes (category, sex, age
// band), stored as one row of stats_blocks. A question reads rows, and SQLite's cost is per row:
// a block holds up to 4 x 6 x 4 x 3 x 2 cells (the *tail* attributes: school status and stage,
// vaccination, card), so a breakdown over a province reads tens of times fewer rows than cells,
// while a block stays small enough (at most 2 KB) to be rewritten on each change.
//
// Encoding: the block's cells sorted by tail, each 10 bytes little-endian: tail (2), count (4),
// key sum modulo 2^32 (4). A block never holds a cell of count 0. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cell_key.h"
#include "onecard/protocol/bytes.h"
#include "onecard/protocol/status.h"
#include "stats_profile.h"

namespace onecard::server {

// Category, sex and age band: the low 12 bits of the packed attributes (stats_profile.h).
inline constexpr int kStatsHeadBits = 12;
inline constexpr StatsAttributes StatsHead(StatsAttributes a) {
  return a & ((StatsAttributes{1} << kStatsHeadBits) - 1);
}
inline constexpr uint32_t StatsTail(StatsAttributes a) { return a >> kStatsHeadBits; }
inline constexpr StatsAttributes StatsJoin(StatsAttributes head, uint32_t tail) {
  return head | (StatsAttributes{tail} << kStatsHeadBits);
}

// One cell of a block: its tail attributes and what it counts.
struct StatsBlockCell {
  uint32_t tail = 0;
  KeyedCount count;
};

inline constexpr size_t kStatsBlockCellBytes = 10;

// Calls `on_cell(tail, KeyedCount)` for each cell of an encoded block, in tail order. An encoding
// whose length is not a multiple of kStatsBlockCellBytes is kCorruption (nothing is visited).
template <typename OnCell>
Status ForEachStatsBlockCell(std::span<const uint8_t> block, OnCell&& on_cell) {
  if (block.size() % kStatsBlockCellBytes != 0) {
    return Status(ErrorCode::kCorruption, "a statistics block has a damaged encoding");
  }
  const auto u32 = [](const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  };
  for (const uint8_t* p = block.data(); p != block.data() + block.size();
       p += kStatsBlockCellBytes) {
    on_cell(uint32_t{p[0]} | uint32_t{p[1]} << 8, KeyedCount{int64_t{u32(p + 2)}, u32(p + 6)});
  }
  return Status::Ok();
}

// The cells of an encoded block.
Result<std::vector<StatsBlockCell>> DecodeStatsBlock(std::span<const uint8_t> block);

// The encoding of `cells` (sorted by tail, none of count 0).
Bytes EncodeStatsBlock(const std::vector<StatsBlockCell>& cells);

// Adds `change` (a count and key sum that may be negative: records counted out) to the cell of
// `tail` in the sorted `cells`, adding the cell or removing it when its count reaches 0.
// kInternal when a count would fall below 0 (the cells and the records disagree).
Status ChangeStatsBlock(std::vector<StatsBlockCell>& cells, uint32_t tail, int64_t n, uint32_t key);

}  // namespace onecard::server
