#include "stats_block.h"

#include <algorithm>

namespace onecard::server {

Result<std::vector<StatsBlockCell>> DecodeStatsBlock(std::span<const uint8_t> block) {
  std::vector<StatsBlockCell> cells;
  cells.reserve(block.size() / kStatsBlockCellBytes);
  RETURN_IF_ERROR(ForEachStatsBlockCell(block, [&cells](uint32_t tail, KeyedCount count) {
    cells.push_back({tail, count});
  }));
  return cells;
}

Bytes EncodeStatsBlock(const std::vector<StatsBlockCell>& cells) {
  Bytes out;
  out.reserve(cells.size() * kStatsBlockCellBytes);
  const auto put = [&out](uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  for (const StatsBlockCell& c : cells) {
    put(c.tail, 2);
    put(static_cast<uint32_t>(c.count.n), 4);
    put(c.count.key, 4);
  }
  return out;
}

Status ChangeStatsBlock(std::vector<StatsBlockCell>& cells, uint32_t tail, int64_t n,
                        uint32_t key) {
  auto at = std::lower_bound(cells.begin(), cells.end(), tail,
                             [](const StatsBlockCell& c, uint32_t t) { return c.tail < t; });
  if (at == cells.end() || at->tail != tail) at = cells.insert(at, StatsBlockCell{tail, {}});
  at->count.Add(KeyedCount{n, key});
  if (at->count.n < 0 || at->count.n > int64_t{UINT32_MAX}) {
    return Status(ErrorCode::kInternal,
                  "a statistics cell would count " + std::to_string(at->count.n) + " records");
  }
  if (at->count.n == 0) cells.erase(at);
  return Status::Ok();
}

}  // namespace onecard::server
