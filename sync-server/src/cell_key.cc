#include "cell_key.h"

#include <algorithm>
#include <cstddef>

namespace onecard::server {

int Noise(int64_t n, uint32_t key) {
  // The lowest noise allowed: a non-empty cell stays at 1 or more.
  const int lowest = n > kMaxNoise ? -kMaxNoise : static_cast<int>(1 - std::max<int64_t>(n, 1));
  uint64_t total = 0;
  for (int noise = lowest; noise <= kMaxNoise; ++noise)
    total += kNoiseWeights[static_cast<size_t>(noise + kMaxNoise)];
  // The key scaled onto [0, total): each noise takes a share of the key space equal to its weight.
  uint64_t point = (uint64_t{key} * total) >> 32;
  for (int noise = lowest; noise < kMaxNoise; ++noise) {
    const uint32_t weight = kNoiseWeights[static_cast<size_t>(noise + kMaxNoise)];
    if (point < weight) return noise;
    point -= weight;
  }
  return kMaxNoise;
}

std::optional<int64_t> PublishCount(const KeyedCount& cell) {
  if (cell.n <= 0) return 0;
  const int64_t published = cell.n + Noise(cell.n, cell.key);
  if (published < kSmallCell) return std::nullopt;
  return published;
}

std::vector<std::optional<int64_t>> PublishCounts(const std::vector<KeyedCount>& cells) {
  std::vector<std::optional<int64_t>> out;
  out.reserve(cells.size());
  for (const KeyedCount& cell : cells) out.push_back(PublishCount(cell));
  return out;
}

}  // namespace onecard::server
